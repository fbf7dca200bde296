import { dirname } from 'node:path'
import type { SourceRecord } from '@dataflow/sdk'
import { isPandasMissing, toPresentText } from './benchmark-item.js'
import { decodeImage } from './decode-image.js'
import type { MediaWriter } from './media-writer.js'
import { readRecords } from './read-records.js'
import { resolveImageFile } from './resolve-image-file.js'
import { splitTsvFields } from './split-tsv-fields.js'
import { checkRow, toBenchmarkItem, toErrorRecord, toItemId, type RawRow } from './to-source-record.js'
import type { TsvHeader } from './tsv-header.js'

/** VLMEvalKit replaces an image repeated across rows by the index of the row holding it (at most 64 characters). */
const MAX_REFERENCE_LENGTH = 64

export interface TsvReadOptions {
  path: string
  header: TsvHeader
  benchmark: string
  media: MediaWriter
  signal: AbortSignal
}

/** Yields one source record per data row of a VLMEvalKit TSV; unusable rows become error records. */
export async function* readTsvItems(options: TsvReadOptions): AsyncGenerator<SourceRecord> {
  const { header, benchmark } = options
  const folder = dirname(options.path)
  const seen = new Set<string>()
  /** Image path of every row that carried its own image, by index: the targets of references. */
  const imageByIndex = new Map<string, string>()
  let row = 0
  let headerSkipped = false
  for await (const record of readRecords(options.path, { quoted: true })) {
    if (options.signal.aborted) return
    if (record.text.trim() === '') continue
    if (!headerSkipped) {
      headerSkipped = true
      continue
    }
    row++
    const where = `row ${row}`
    const split = splitTsvFields(record.text)
    if (split.problem !== undefined || split.fields.length > header.columns.length) {
      const problem =
        split.problem ?? `it has ${split.fields.length} fields but the header has ${header.columns.length} columns`
      yield toErrorRecord(
        toItemId(benchmark, `row-${row}`),
        { benchmark, index: `row-${row}`, where },
        `${problem} (line ${record.line})`,
      )
      continue
    }
    const fields = split.fields
    const cell = (position: number | undefined): string | undefined => {
      const text = position === undefined ? undefined : fields[position]
      return text === undefined || isPandasMissing(text) ? undefined : text
    }
    const value = (name: string) => cell(header.position(name))
    const index = toPresentText(value('index')) ?? String(row)
    const raw: RawRow = {
      benchmark,
      index,
      where,
      question: value('question'),
      options: Object.fromEntries(header.optionColumns.map(({ letter, position }) => [letter, cell(position)])),
      answer: value('answer'),
      category: value('category'),
      l2Category: value('l2-category'),
      split: value('split'),
      hint: value('hint'),
    }
    const id = toItemId(benchmark, index)
    if (seen.has(id)) {
      yield toErrorRecord(
        `${id}#row-${row}`,
        raw,
        `duplicate index "${index}" (an earlier row has it)`,
        'Indexes must be unique within a benchmark file.',
      )
      continue
    }
    seen.add(id)
    const checked = checkRow(raw)
    if (typeof checked === 'string') {
      yield toErrorRecord(id, raw, checked)
      continue
    }
    const image = await resolveRowImage(value('image'), value('image_path'), folder, imageByIndex, options.media)
    if ('problem' in image) {
      yield toErrorRecord(id, raw, image.problem)
      continue
    }
    if (image.own) imageByIndex.set(index, image.path)
    yield { id, data: toBenchmarkItem(id, checked, image.path) }
  }
}

type RowImage = { path: string; own: boolean } | { problem: string }

async function resolveRowImage(
  image: string | undefined,
  imagePath: string | undefined,
  folder: string,
  imageByIndex: ReadonlyMap<string, string>,
  media: MediaWriter,
): Promise<RowImage> {
  const inline = toPresentText(image)
  if (inline !== undefined) {
    if (inline.length <= MAX_REFERENCE_LENGTH) {
      const target = imageByIndex.get(inline)
      if (target !== undefined) return { path: target, own: false }
      if (/^\d+$/.test(inline))
        return {
          problem: `the image refers to the row with index ${inline}, but no earlier row with that index has an image`,
        }
    }
    if (inline.startsWith('['))
      return { problem: 'the row holds several images; only one image per question is supported' }
    const decoded = decodeImage(inline)
    if (decoded.problem !== undefined) return { problem: decoded.problem }
    return { path: await media.write(decoded.bytes, decoded.extension), own: true }
  }
  const file = toPresentText(imagePath)
  if (file === undefined) return { problem: 'the row has no image (empty "image" and "image_path")' }
  if (file.startsWith('['))
    return { problem: 'the row names several image files; only one image per question is supported' }
  const resolved = await resolveImageFile(folder, file)
  return 'problem' in resolved ? resolved : { path: resolved.path, own: true }
}
