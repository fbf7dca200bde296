import { DataflowError, type SourceRecord } from '@dataflow/sdk'
import { toPresentText, type BenchmarkItem } from './benchmark-item.js'
import { toQuestionFields } from './to-question-fields.js'

/** One row of a benchmark file, as read, before it is checked. */
export interface RawRow {
  benchmark: string
  /** The row's index (id within the benchmark). */
  index: string
  /** Where the row is, for messages: `row 12` (TSV) or `line 12` (JSONL). */
  where: string
  question: unknown
  options: unknown
  answer: unknown
  category?: unknown
  l2Category?: unknown
  split?: unknown
  hint?: unknown
}

/** The item id of a row: `<benchmark>/<index>`. */
export function toItemId(benchmark: string, index: string): string {
  return `${benchmark}/${index}`
}

/**
 * An error record for a row that cannot be used. Its data keeps what is known (benchmark,
 * index, category) so that accuracy sinks count the error against the right benchmark.
 */
export function toErrorRecord(
  id: string,
  row: Pick<RawRow, 'benchmark' | 'index' | 'where' | 'category'>,
  problem: string,
  hint?: string,
): SourceRecord {
  const category = toPresentText(row.category)
  return {
    id,
    data: { benchmark: row.benchmark, index: row.index, ...(category === undefined ? {} : { category }) },
    error: new DataflowError('DATAFLOW_INPUT_INVALID', `${row.where}: ${problem}`, {
      ...(hint === undefined ? {} : { hint }),
      details: { benchmark: row.benchmark, index: row.index, where: row.where },
    }),
  }
}

/** A row whose question, options and answer are usable; the image is resolved afterwards. */
export type CheckedRow = Omit<BenchmarkItem, 'id' | 'media' | 'modality'>

/** Checks a row's question part, or says what is wrong with it. */
export function checkRow(row: RawRow): CheckedRow | string {
  const checked = toQuestionFields(row.question, row.options, row.answer)
  if (checked.problem !== undefined) return checked.problem
  const optional = { category: row.category, l2Category: row.l2Category, split: row.split, hint: row.hint }
  const extras: Record<string, string> = {}
  for (const [key, value] of Object.entries(optional)) {
    const text = toPresentText(value)
    if (text !== undefined) extras[key] = text
  }
  return { benchmark: row.benchmark, index: row.index, ...checked.fields, ...extras }
}

/** The finished item. */
export function toBenchmarkItem(id: string, row: CheckedRow, media: string): BenchmarkItem {
  return { id, ...row, media, modality: 'image' }
}
