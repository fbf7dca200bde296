import type { JsonSchema } from '@dataflow/sdk'

/** The item a benchmark source yields (the `item` scope). */
export type BenchmarkItem = {
  /** `<benchmark>/<index>`. */
  id: string
  benchmark: string
  /** The question's id within the benchmark (VLMEvalKit `index`, JSONL `id`). */
  index: string
  /** Absolute path of the image (decoded base64 lands in the run directory). */
  media: string
  modality: 'image'
  question: string
  /** Option texts by letter, in letter order; empty options are dropped. */
  options: Record<string, string>
  /** The correct letter, upper case. */
  answer: string
  category?: string
  /** VLMEvalKit `l2-category`. */
  l2Category?: string
  split?: string
  /** Context shown before the question (MMBench `hint`). */
  hint?: string
}

/** JSON Schema of the item fields. */
export const benchmarkItemSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'benchmark', 'index', 'media', 'modality', 'question', 'options', 'answer'],
  properties: {
    id: { type: 'string', description: '`<benchmark>/<index>`.' },
    benchmark: { type: 'string', description: 'Benchmark name.' },
    index: { type: 'string', description: 'Question id within the benchmark.' },
    media: { type: 'string', description: 'Absolute path of the image.' },
    modality: { type: 'string', const: 'image' },
    question: { type: 'string' },
    options: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'Option texts by letter (A, B, ...).',
    },
    answer: { type: 'string', pattern: '^[A-Z]$', description: 'The correct letter.' },
    category: { type: 'string' },
    l2Category: { type: 'string' },
    split: { type: 'string' },
    hint: { type: 'string', description: 'Context given with the question.' },
  },
}

/**
 * Strings pandas reads as NaN by default. VLMEvalKit loads its TSVs with pandas, so a TSV cell
 * holding one of these does not exist for it either (JSONL uses null instead).
 */
const PANDAS_MISSING = new Set([
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
])

/** True for a TSV cell pandas would read as NaN. */
export function isPandasMissing(cell: string): boolean {
  return PANDAS_MISSING.has(cell.trim())
}

/** The trimmed text of a string or finite number; undefined when absent or blank. */
export function toPresentText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value !== 'string') return undefined
  const text = value.trim()
  return text === '' ? undefined : text
}
