import { field, type ConfigOf } from '@dataflow/sdk'

/** JSON Schema of the source's `with:`; {@link BenchmarkSourceConfig} is inferred from it. */
export const configSchema = field.object(
  {
    path: field.string({
      minLength: 1,
      description: 'The benchmark file (VLMEvalKit-style TSV, or JSONL), relative to the pipeline file.',
    }),
    benchmark: field.string({
      pattern: '^[^/\\s]+$',
      description:
        'Benchmark name: first part of item ids (`<benchmark>/<index>`) and key in the accuracy report. Default: the file name without its extension.',
    }),
    format: field.enum(['auto', 'tsv', 'jsonl'], {
      default: 'auto',
      description: 'File layout. `auto` decides by extension: `.tsv` is TSV, `.jsonl` and `.ndjson` are JSONL.',
    }),
  },
  { required: ['path'] },
)

/** The `with:` of a benchmark source, after defaults are applied. */
export type BenchmarkSourceConfig = ConfigOf<typeof configSchema>

/** Input layouts the source reads. */
export type BenchmarkFormat = Exclude<BenchmarkSourceConfig['format'], 'auto'>
