import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { afterAll, describe, expect, it } from 'vitest'
import { isDataflowError } from '@dataflow/sdk'
import { yamlLines } from '../../test/load-problems.js'
import { removePipelines, writePipeline } from '../../test/write-pipeline.js'
import { loadPipeline } from '../pipeline/load-pipeline.js'
import { createSinks } from './instantiate.js'
import type { RunServices } from './run-services.js'

const runDir = mkdtempSync(join(tmpdir(), 'dataflow-instantiate-'))
afterAll(() => {
  removePipelines()
  rmSync(runDir, { recursive: true, force: true })
})

// A sink that computes its file name at run time (no x-dataflow-output field the loader could check).
const COMPUTED_SINK = `
import { defineSink } from '@dataflow/sdk'
export default defineSink({
  specVersion: 1,
  name: 'computed-sink', description: 'Writes to a computed path (test).',
  config: { type: 'object', properties: { name: { type: 'string' } }, additionalProperties: false },
  create: (config, context) => ({ path: context.resolveOutput(config.name), write() {}, close() {} }),
})`

describe('resolveOutput', () => {
  it('refuses a computed relative path that climbs out of the run directory, and resolves one inside it', async () => {
    const file = writePipeline(
      yamlLines(
        'version: 1',
        'name: t',
        'models:',
        '  vlm: { baseURL: http://h:1/v1, model: m }',
        'source: { uses: ./fixture-source.js, with: { path: x } }',
        'nodes:',
        '  echo: { uses: ./fixture-node.js }',
        'sinks:',
        '  inside: { uses: ./computed-sink.js, with: { name: exports/out.jsonl } }',
        '  outside: { uses: ./computed-sink.js, with: { name: exports/../../out.jsonl } }',
      ),
      { 'computed-sink.js': COMPUTED_SINK },
    )
    const pipeline = await loadPipeline(file, { env: {} })
    const options = {
      runDir,
      logger: pino({ level: 'silent' }),
      signal: new AbortController().signal,
      services: {} as RunServices,
      shard: undefined,
    }
    const inside = await createSinks({ ...pipeline, sinks: pipeline.sinks.slice(0, 1) }, options, () => undefined)
    expect((inside[0] as unknown as { path: string }).path).toBe(join(runDir, 'exports/out.jsonl'))
    const refused = await createSinks(pipeline, options, () => undefined).catch((error: unknown) => error)
    expect(isDataflowError(refused) && refused.code).toBe('DATAFLOW_CONFIG_INVALID')
    expect((refused as Error).message).toBe(
      `sink "outside": output path "exports/../../out.jsonl" climbs out of the run directory ${runDir}`,
    )
  })
})
