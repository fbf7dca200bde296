import type { IncomingMessage, ServerResponse } from 'node:http'
import { isDataflowError } from '@dataflow/sdk'
import { handleChat, sendJson } from './chat-handler.js'
import { renderMetrics, type ModelMetrics } from './metrics.js'
import { validateFaults, type Faults } from './options.js'
import { parseJson, readBody } from './read-body.js'
import { DEFAULT_MODEL, type SimulatorState } from './simulator-state.js'

/** Operations the control routes need from the simulator handle. */
export interface SimulatorControl {
  setFaults(faults: Partial<Faults>): void
  reset(): void
}

function servedModels(state: SimulatorState): string[] {
  return state.options.models.length > 0
    ? state.options.models
    : [DEFAULT_MODEL, ...[...state.seenModels].filter((m) => m !== DEFAULT_MODEL)]
}

function listModels(state: SimulatorState): unknown {
  const created = Math.floor(Date.now() / 1000)
  return {
    object: 'list',
    data: servedModels(state).map((id) => ({
      id,
      object: 'model',
      created,
      owned_by: 'dataflow-sim (simulator, no model)',
      root: id,
      parent: null,
      max_model_len: state.options.maxModelLen,
      permission: [],
    })),
  }
}

function metrics(state: SimulatorState): string {
  const byModel = new Map<string, ModelMetrics>()
  const entry = (model: string) =>
    byModel.get(model) ??
    byModel
      .set(model, {
        running: 0,
        waiting: 0,
        promptTokens: 0,
        generationTokens: 0,
        prefixCacheQueries: 0,
        prefixCacheHits: 0,
      })
      .get(model)!
  for (const model of servedModels(state)) entry(model)
  for (const [model, counters] of state.stats.modelCounters()) Object.assign(entry(model), counters)
  for (const [model, counts] of state.scheduler.countByModel()) Object.assign(entry(model), counts)
  return renderMetrics(byModel)
}

async function updateFaults(
  state: SimulatorState,
  control: SimulatorControl,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  try {
    control.setFaults(validateFaults(parseJson(await readBody(request))))
    sendJson(response, 200, state.options.faults)
  } catch (error) {
    const message = isDataflowError(error) || error instanceof Error ? error.message : String(error)
    sendJson(response, 400, { error: { message, type: 'BadRequestError', param: null, code: 400 } })
  }
}

const ROUTES: Record<
  string,
  Partial<
    Record<
      string,
      (
        state: SimulatorState,
        control: SimulatorControl,
        req: IncomingMessage,
        res: ServerResponse,
      ) => void | Promise<void>
    >
  >
> = {
  '/v1/chat/completions': { POST: (state, _control, req, res) => handleChat(state, req, res) },
  '/v1/models': { GET: (state, _control, _req, res) => sendJson(res, 200, listModels(state)) },
  '/health': {
    GET: (_state, _control, _req, res) => {
      res.writeHead(200).end()
    },
  },
  '/metrics': {
    GET: (state, _control, _req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(metrics(state))
    },
  },
  '/sim/stats': { GET: (state, _control, _req, res) => sendJson(res, 200, state.stats.snapshot()) },
  '/sim/reset': {
    POST: (state, control, _req, res) => {
      control.reset()
      sendJson(res, 200, state.stats.snapshot())
    },
  },
  '/sim/faults': {
    GET: (state, _control, _req, res) => sendJson(res, 200, state.options.faults),
    POST: (state, control, req, res) => updateFaults(state, control, req, res),
  },
}

/** Routes a request; unknown paths get FastAPI's 404 / 405 bodies, as vLLM answers them. */
export function route(
  state: SimulatorState,
  control: SimulatorControl,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const path = (request.url ?? '/').split('?')[0]!
  const methods = ROUTES[path]
  const handler = methods?.[request.method ?? 'GET']
  if (handler === undefined) {
    if (methods === undefined) sendJson(response, 404, { detail: 'Not Found' })
    else sendJson(response, 405, { detail: 'Method Not Allowed' }, { allow: Object.keys(methods).join(', ') })
    request.resume()
    return
  }
  Promise.resolve(handler(state, control, request, response)).catch((error: unknown) => {
    if (!response.headersSent)
      sendJson(response, 500, {
        error: { message: `Simulator bug: ${String(error)}`, type: 'InternalServerError', param: null, code: 500 },
      })
    else response.destroy()
  })
}
