import { getEventListeners } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { InferenceClient, MediaTools } from '@dataflow/sdk'
import { pino } from 'pino'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { removePipelines, writePipeline } from '../../test/write-pipeline.js'
import { loadPipeline } from '../pipeline/load-pipeline.js'
import { executePipeline } from './execute-pipeline.js'
import type { RunServices } from './run-services.js'

// Plugins that record what was created and closed in a global, and fail in `create` on demand.
const PLUGINS = {
  'life-source.mjs': `
export default {
  kind: 'source', specVersion: 1, name: 'life-source', version: '1.0.0', description: 'two items',
  config: { type: 'object', properties: { fail: { type: 'boolean', default: false } }, additionalProperties: false },
  create(config) {
    if (config.fail) throw new Error('source create failed')
    globalThis.__life.push('source:create')
    return {
      async *read() { yield { id: 'a', data: {} }; yield { id: 'b', data: {} } },
      close() { globalThis.__life.push('source:close') },
    }
  },
}`,
  'life-node.mjs': `
export default {
  kind: 'node', specVersion: 1, name: 'life-node', version: '1.0.0', description: 'echo',
  config: { type: 'object', properties: { fail: { type: 'boolean', default: false } }, additionalProperties: false },
  create(config, context) {
    if (config.fail) throw new Error('node create failed')
    globalThis.__life.push('node:create:' + context.nodeId)
    return {
      process: async () => ({ ok: true }),
      close() { globalThis.__life.push('node:close:' + context.nodeId) },
    }
  },
}`,
  'life-sink.mjs': `
export default {
  kind: 'sink', specVersion: 1, name: 'life-sink', version: '1.0.0', description: 'counts',
  config: { type: 'object', properties: { fail: { type: 'boolean', default: false } }, additionalProperties: false },
  create(config) {
    if (config.fail) throw new Error('sink create failed')
    globalThis.__life.push('sink:create')
    return { write() {}, close() { globalThis.__life.push('sink:close') } }
  },
}`,
}

declare global {
  var __life: string[]
}

function pipelineYaml(fail: { source?: boolean; node?: boolean; sink?: boolean } = {}): string {
  return `
version: 1
name: lifecycle
source: { uses: ./life-source.mjs, with: { fail: ${fail.source ?? false} } }
nodes:
  first: { uses: ./life-node.mjs }
  second: { uses: ./life-node.mjs, needs: [first], with: { fail: ${fail.node ?? false} } }
sinks:
  out: { uses: ./life-sink.mjs, with: { fail: ${fail.sink ?? false} } }
`
}

/** Services whose fatal-error guard counts the listeners still registered. */
function fakeServices(): { services: RunServices; fatalListeners: () => number } {
  const fatal = new Set<unknown>()
  const services: RunServices = {
    inference: {
      clientFor: () => ({}) as InferenceClient,
      onFatal(listener) {
        fatal.add(listener)
        return () => fatal.delete(listener)
      },
      report: () => ({ models: {}, nodes: {}, cost: { byTokens: {}, byGpu: {}, assumptions: [] } }),
      close: async () => undefined,
    },
    media: {} as MediaTools,
  }
  return { services, fatalListeners: () => fatal.size }
}

let runDir: string
beforeEach(() => {
  globalThis.__life = []
  runDir = mkdtempSync(join(tmpdir(), 'dataflow-execute-'))
})
afterEach(() => rmSync(runDir, { recursive: true, force: true }))
afterAll(() => removePipelines())

async function start(fail: Parameters<typeof pipelineYaml>[0]) {
  const pipeline = await loadPipeline(writePipeline(pipelineYaml(fail), PLUGINS))
  const stop = new AbortController()
  const abort = new AbortController()
  const { services, fatalListeners } = fakeServices()
  const handle = executePipeline(pipeline, {
    runDir,
    logger: pino({ level: 'silent' }),
    services,
    stop: stop.signal,
    abort: abort.signal,
  })
  const listeners = () => ({
    stop: getEventListeners(stop.signal, 'abort').length,
    abort: getEventListeners(abort.signal, 'abort').length,
    fatal: fatalListeners(),
  })
  return { handle, listeners }
}

describe('executePipeline opening and closing', () => {
  it.each([
    ['the source', { source: true }, /source create failed/, []],
    [
      'a node',
      { node: true },
      /node create failed/,
      ['source:create', 'node:create:first', 'node:close:first', 'source:close'],
    ],
    [
      'a sink',
      { sink: true },
      /sink create failed/,
      [
        'source:create',
        'node:create:first',
        'node:create:second',
        'node:close:first',
        'node:close:second',
        'source:close',
      ],
    ],
  ])(
    'when %s fails to open, removes every listener it added and closes exactly what was opened',
    async (_, fail, message, life) => {
      const { handle, listeners } = await start(fail)
      await expect(handle.done).rejects.toThrow(message)
      expect(listeners()).toEqual({ stop: 0, abort: 0, fatal: 0 })
      expect(globalThis.__life).toEqual(life)
    },
  )

  it('after a completed run, the listeners are gone and everything was closed once, sinks before nodes before the source', async () => {
    const { handle, listeners } = await start({})
    const report = await handle.done
    expect(report.outcomes.ok).toBe(2)
    expect(report.outputs).toEqual({ '#errors': ['errors.jsonl'] })
    expect(listeners()).toEqual({ stop: 0, abort: 0, fatal: 0 })
    expect(globalThis.__life).toEqual([
      'source:create',
      'node:create:first',
      'node:create:second',
      'sink:create',
      'sink:close',
      'node:close:first',
      'node:close:second',
      'source:close',
    ])
  })
})
