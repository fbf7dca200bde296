import type { JsonSchema } from '@dataflow/sdk'

/** Input layouts the source reads. */
export type BenchmarkFormat = 'tsv' | 'jsonl'

/** The `with:` of a benchmark source, after defaults are applied. */
export interface BenchmarkSourceConfig {
  /** The benchmark file (VLMEvalKit TSV or JSONL), relative to the pipeline file. */
  path: string
  /** Benchmark name, first part of every item id and key of the accuracy report. Default: the file's base name. */
  benchmark?: string
  /** `tsv`, `jsonl`, or `auto` (by extension: `.tsv`, `.jsonl`/`.ndjson`). Default `auto`. */
  format: BenchmarkFormat | 'auto'
}

/** JSON Schema of the source's `with:`. */
export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: {
      type: 'string',
      minLength: 1,
      description: 'The benchmark file (VLMEvalKit-style TSV, or JSONL), relative to the pipeline file.',
    },
    benchmark: {
      type: 'string',
      pattern: '^[^/\\s]+$',
      description:
        'Benchmark name: first part of item ids (`<benchmark>/<index>`) and key in the accuracy report. Default: the file name without its extension.',
    },
    format: {
      type: 'string',
      enum: ['auto', 'tsv', 'jsonl'],
      default: 'auto',
      description:
        'File layout. `auto` decides by extension: `.tsv` is TSV, `.jsonl` and `.ndjson` are JSONL. Default `auto`.',
    },
  },
}
