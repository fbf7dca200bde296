import { dirname } from 'node:path'
import type { SourceRecord } from '@dataflow/sdk'
import { toPresentText } from './benchmark-item.js'
import { decodeImage, isInlineImage } from './decode-image.js'
import type { MediaWriter } from './media-writer.js'
import { readRecords } from './read-records.js'
import { resolveImageFile } from './resolve-image-file.js'
import { checkRow, toBenchmarkItem, toErrorRecord, toItemId, type RawRow } from './to-source-record.js'

export interface JsonlReadOptions {
  path: string
  benchmark: string
  media: MediaWriter
  signal: AbortSignal
}

/**
 * Yields one source record per line of a benchmark JSONL file:
 * `{ id, image (path relative to the file, or base64), question, options, answer, category?, hint? }`.
 */
export async function* readJsonlItems(options: JsonlReadOptions): AsyncGenerator<SourceRecord> {
  const { benchmark } = options
  const folder = dirname(options.path)
  const seen = new Set<string>()
  for await (const record of readRecords(options.path, { quoted: false })) {
    if (options.signal.aborted) return
    if (record.text.trim() === '') continue
    const where = `line ${record.line}`
    const lineIndex = `line-${record.line}`
    let value: unknown
    try {
      value = JSON.parse(record.text)
    } catch {
      yield toErrorRecord(toItemId(benchmark, lineIndex), { benchmark, index: lineIndex, where }, 'not valid JSON')
      continue
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      yield toErrorRecord(
        toItemId(benchmark, lineIndex),
        { benchmark, index: lineIndex, where },
        'expected a JSON object',
      )
      continue
    }
    const data = value as Record<string, unknown>
    const index = toPresentText(data['id']) ?? toPresentText(data['index']) ?? String(record.line)
    const raw: RawRow = {
      benchmark,
      index,
      where,
      question: data['question'],
      options: data['options'],
      answer: data['answer'],
      category: data['category'],
      l2Category: data['l2Category'] ?? data['l2-category'],
      split: data['split'],
      hint: data['hint'],
    }
    const id = toItemId(benchmark, index)
    if (seen.has(id)) {
      yield toErrorRecord(
        `${id}#line-${record.line}`,
        raw,
        `duplicate id "${index}" (an earlier line has it)`,
        'Ids must be unique within a benchmark file.',
      )
      continue
    }
    seen.add(id)
    const checked = checkRow(raw)
    if (typeof checked === 'string') {
      yield toErrorRecord(id, raw, checked)
      continue
    }
    const image = typeof data['image'] === 'string' ? data['image'].trim() : ''
    if (image === '') {
      yield toErrorRecord(id, raw, 'the "image" field is missing (a path relative to the file, or base64)')
      continue
    }
    if (isInlineImage(image)) {
      const decoded = decodeImage(image)
      if (decoded.problem !== undefined) {
        yield toErrorRecord(id, raw, decoded.problem)
        continue
      }
      yield { id, data: toBenchmarkItem(id, checked, await options.media.write(decoded.bytes, decoded.extension)) }
      continue
    }
    const file = await resolveImageFile(folder, image)
    if ('problem' in file) {
      yield toErrorRecord(id, raw, file.problem)
      continue
    }
    yield { id, data: toBenchmarkItem(id, checked, file.path) }
  }
}
