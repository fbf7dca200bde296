import { DataflowError } from '@dataflow/sdk'
import { readRecords } from './read-records.js'
import { splitTsvFields } from './split-tsv-fields.js'

/** The columns of a VLMEvalKit TSV. */
export interface TsvHeader {
  columns: string[]
  /** Position of a column by name; undefined when absent. */
  position(name: string): number | undefined
  /** Single-letter option columns (A, B, ...), in letter order. */
  optionColumns: Array<{ letter: string; position: number }>
}

/**
 * Reads the header row (the first non-blank record) and checks the columns every row needs:
 * `question`, `answer`, and `image` or `image_path`.
 */
export async function readTsvHeader(path: string): Promise<TsvHeader> {
  let text: string | undefined
  for await (const record of readRecords(path, { quoted: true })) {
    if (record.text.trim() === '') continue
    text = record.text
    break
  }
  const invalid = (message: string) =>
    new DataflowError('DATAFLOW_INPUT_INVALID', `${path}: ${message}`, {
      hint: 'A benchmark TSV (VLMEvalKit layout) starts with a header row: index, image (base64) or image_path, question, A, B, ..., answer, category.',
      details: { path },
    })
  if (text === undefined) throw invalid('the file is empty')
  const split = splitTsvFields(text)
  if (split.problem !== undefined) throw invalid(`the header row cannot be read: ${split.problem}`)
  const columns = split.fields.map((name) => name.trim())
  const positions = new Map<string, number>()
  columns.forEach((name, position) => {
    if (!positions.has(name)) positions.set(name, position)
  })
  for (const required of ['question', 'answer']) {
    if (!positions.has(required))
      throw invalid(`the header has no "${required}" column (columns: ${columns.join(', ')})`)
  }
  if (!positions.has('image') && !positions.has('image_path'))
    throw invalid(`the header has neither an "image" nor an "image_path" column (columns: ${columns.join(', ')})`)
  const optionColumns = [...positions]
    .filter(([name]) => /^[A-Z]$/.test(name))
    .map(([letter, position]) => ({ letter, position }))
    .sort((a, b) => a.letter.localeCompare(b.letter))
  return { columns, position: (name) => positions.get(name), optionColumns }
}
