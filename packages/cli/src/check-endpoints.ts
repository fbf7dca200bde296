import type { LoadedPipeline } from '@dataflow/core'

/** What one endpoint said about one model of the pipeline. */
export interface EndpointCheck {
  model: string
  served: string
  endpoint: string
  status: 'ok' | 'missing' | 'unreachable'
  /** The names the endpoint serves (missing), or why it could not be asked (unreachable). */
  detail?: string
}

/**
 * Asks every endpoint of every model for `GET <baseURL>/models` and checks that the served name
 * the pipeline sends is listed. API keys come from the variables the models name (never printed).
 */
export async function checkEndpoints(
  pipeline: LoadedPipeline,
  env: NodeJS.ProcessEnv,
  timeoutMs = 5000,
): Promise<EndpointCheck[]> {
  const checks: Promise<EndpointCheck>[] = []
  for (const [name, config] of Object.entries(pipeline.models)) {
    const endpoints = config.endpoints ?? (config.baseURL === undefined ? [] : [config.baseURL])
    const key = config.apiKeyEnv === undefined ? undefined : env[config.apiKeyEnv]
    for (const endpoint of endpoints) checks.push(checkOne(name, config.model, endpoint, key, timeoutMs))
  }
  return Promise.all(checks)
}

async function checkOne(
  model: string,
  served: string,
  endpoint: string,
  key: string | undefined,
  timeoutMs: number,
): Promise<EndpointCheck> {
  const base = { model, served, endpoint }
  const url = `${endpoint.replace(/\/+$/, '')}/models`
  try {
    const response = await fetch(url, {
      headers: { accept: 'application/json', ...(key === undefined ? {} : { authorization: `Bearer ${key}` }) },
      signal: AbortSignal.timeout(timeoutMs),
    })
    if (!response.ok) return { ...base, status: 'unreachable', detail: `GET ${url} answered ${response.status}` }
    const body = (await response.json()) as { data?: { id?: unknown }[] }
    const names = (body.data ?? []).map((entry) => String(entry.id))
    return names.includes(served)
      ? { ...base, status: 'ok' }
      : { ...base, status: 'missing', detail: `serves ${names.length === 0 ? 'no models' : names.join(', ')}` }
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : describe(error)
    return { ...base, status: 'unreachable', detail: `GET ${url}: ${reason}` }
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  return cause?.code ?? cause?.message ?? (error as Error).message
}

/** One line per check; problems say what to do. */
export function formatEndpointChecks(checks: readonly EndpointCheck[]): string {
  const lines = checks.map((check) => {
    const head = `${check.model} (${check.served}) at ${check.endpoint}`
    if (check.status === 'ok') return `  ok       ${head}`
    if (check.status === 'missing')
      return `  missing  ${head}: the server ${check.detail}; set the model's \`model:\` to one of them, or serve it`
    return `  down     ${head}: ${check.detail}`
  })
  return `endpoints:\n${lines.join('\n')}\n`
}
