// Types of generate-pipeline-schema.mjs (a plain script, run by `npm run build` before the package exists).
type JsonSchema = Record<string, unknown>

/** Absolute path of packages/core/pipeline.schema.json. */
export declare const SCHEMA_FILE: string
/** The `$id` the generated schema carries. */
export declare const SCHEMA_ID: string
/** Regular-expression prefix that lets `${VAR}` text through a string pattern. */
export declare const INTERPOLATION_PREFIX: string
/** The schema generated from the types, with `modelConfigSchema` as the `models:` entries. */
export declare function buildPipelineSchema(modelConfigSchema: JsonSchema): JsonSchema
/** The schema as the file holds it: two-space JSON and a final newline. */
export declare function toSchemaText(schema: JsonSchema): string
/** Generates the schema with the real `modelConfigSchema` (needs packages/inference built). */
export declare function generatePipelineSchema(): Promise<JsonSchema>
