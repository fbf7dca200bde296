import { readFileSync } from 'node:fs'
import type { JsonSchema } from '@dataflow/sdk'

/** Where the generated schema lives: `packages/core/pipeline.schema.json`, two levels above this module (src/ or dist/). */
export const PIPELINE_SCHEMA_URL = new URL('../../pipeline.schema.json', import.meta.url)

let cached: JsonSchema | undefined

/**
 * The JSON Schema of pipeline files (draft-07), generated from `pipeline-file.ts` and shipped as
 * `@dataflow/core/pipeline.schema.json`.
 */
export function readPipelineSchema(): JsonSchema {
  cached ??= JSON.parse(readFileSync(PIPELINE_SCHEMA_URL, 'utf8')) as JsonSchema
  return cached
}
