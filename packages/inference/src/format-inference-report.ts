import type { CostFigures, InferenceReport, Money } from './inference-report.js'

type Cell = string | number

function table(header: string[], rows: Cell[][]): string {
  const text = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? cell.toLocaleString('en-US') : cell)))
  const widths = header.map((title, column) => Math.max(title.length, ...text.map((row) => row[column]!.length)))
  const numeric = header.map(
    (_, column) =>
      rows.length > 0 &&
      rows.every((row) => typeof row[column] === 'number' || /^[\d.,]+( |$)/.test(String(row[column]))),
  )
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (numeric[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...text.map(line)].join('\n')
}

const formatMoney = (value: Money | undefined) => (value ? `${value.amount.toFixed(4)} ${value.currency}` : '-')
const errorCount = (errors: Record<string, number>) => Object.values(errors).reduce((sum, count) => sum + count, 0)
const totals = (byCurrency: Record<string, number>) =>
  Object.entries(byCurrency)
    .map(([currency, amount]) => `${amount.toFixed(4)} ${currency}`)
    .join(' + ') || '-'
const costCells = (cost: CostFigures) => [formatMoney(cost.tokens), formatMoney(cost.gpu)]

/** Renders the end-of-run inference summary: usage per node and model, endpoints, cost and its assumptions. */
export function formatInferenceReport(report: InferenceReport): string {
  const usageRows: Cell[][] = []
  for (const [node, byModel] of Object.entries(report.nodes)) {
    for (const [model, usage] of Object.entries(byModel)) {
      usageRows.push([
        node,
        model,
        usage.requests,
        usage.cachedAnswers,
        usage.retries,
        usage.reasks,
        errorCount(usage.errors),
        usage.promptTokens,
        usage.completionTokens,
        Math.round(usage.latencyMs.p50),
        Math.round(usage.latencyMs.p95),
        ...costCells(usage.cost),
      ])
    }
  }
  const endpointRows: Cell[][] = []
  for (const [name, model] of Object.entries(report.models)) {
    for (const endpoint of model.endpoints) {
      const limit = endpoint.limit
      endpointRows.push([
        name,
        model.servedModel,
        endpoint.host,
        `${limit.current} (${limit.min}-${limit.max}; ${limit.floor}-${limit.ceiling})`,
        endpoint.pool.peakInFlight,
        endpoint.limit.decreases,
        endpoint.pool.pauses,
        endpoint.timeouts,
        endpoint.breaker.opens,
        endpoint.busySeconds.toFixed(1),
      ])
    }
  }
  const sections = [
    'Inference by node and model',
    table(
      [
        'node',
        'model',
        'requests',
        'cached',
        'retries',
        're-asks',
        'errors',
        'prompt tok',
        'completion tok',
        'p50 ms',
        'p95 ms',
        'cost (tokens)',
        'cost (GPU)',
      ],
      usageRows,
    ),
    '',
    'Endpoints',
    table(
      [
        'model',
        'served as',
        'endpoint',
        'limit (range; bounds)',
        'peak in flight',
        'back-offs',
        'pauses',
        'timeouts',
        'breaker opens',
        'busy s',
      ],
      endpointRows,
    ),
    '',
    `Cost at token prices: ${totals(report.cost.byTokens)}; as GPU time: ${totals(report.cost.byGpu)}`,
  ]
  const cached = Object.values(report.models).reduce(
    (sum, model) => ({
      answers: sum.answers + model.cachedAnswers,
      prompt: sum.prompt + model.savedPromptTokens,
      completion: sum.completion + model.savedCompletionTokens,
    }),
    { answers: 0, prompt: 0, completion: 0 },
  )
  if (cached.answers > 0) {
    const count = (value: number) => value.toLocaleString('en-US')
    sections.push(
      `Request cache: ${count(cached.answers)} answers reused, saving ${count(cached.prompt)} prompt + ${count(cached.completion)} completion tokens`,
    )
  }
  const errors = Object.entries(report.models).flatMap(([name, model]) =>
    Object.entries(model.errors).map(([code, count]) => `  ${name}: ${count} x ${code}`),
  )
  if (errors.length > 0) sections.push('Errors:', ...errors)
  const fatal = Object.values(report.models).flatMap((model) =>
    model.fatal ? [`Stopped: ${model.fatal.message}`] : [],
  )
  sections.push(...fatal)
  if (report.cost.assumptions.length > 0)
    sections.push('Assumptions:', ...report.cost.assumptions.map((line) => `  - ${line}`))
  return sections.join('\n')
}
