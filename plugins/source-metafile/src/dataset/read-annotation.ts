import { createReadStream } from 'node:fs'
import { extname } from 'node:path'
import { DataflowError } from '@dataflow/sdk'
import { parseElement, positionInElement } from '../json/parse-element.js'
import type { RawElement } from '../json/raw-element.js'
import { readJsonArray } from '../json/read-json-array.js'
import { readJsonLines } from '../json/read-json-lines.js'
import { TextPositionError } from '../json/text-position.js'
import type { DatasetSpec } from './dataset-spec.js'
import { positionedError } from './positioned-error.js'
import { isRecordProblem, toAnnotationRecord, type AnnotationRecord } from './to-annotation-record.js'

const LINE_FORMATS = new Set(['.jsonl', '.ndjson'])

/**
 * Streams the records of an annotation file without parsing them: a JSON list, or one record
 * per line for `.jsonl` / `.ndjson`. Pulled lazily; stopping early closes the file.
 * Structural errors are DataflowErrors (`DATAFLOW_INPUT_INVALID`) naming `file:line:column`.
 */
export async function* readAnnotationElements(path: string): AsyncGenerator<RawElement> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 })
  const chunks = stream as AsyncIterable<string>
  const elements = LINE_FORMATS.has(extname(path).toLowerCase()) ? readJsonLines(chunks) : readJsonArray(chunks)
  try {
    yield* elements
  } catch (error) {
    if (error instanceof TextPositionError)
      throw positionedError('DATAFLOW_INPUT_INVALID', path, error.position, error.message)
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new DataflowError('DATAFLOW_INPUT_NOT_FOUND', `annotation file ${path} does not exist`, {
        details: { path },
        cause: error,
      })
    }
    throw error
  }
}

/** Parses and checks one record; a problem is a DataflowError naming `file:line:column` of the offending member. */
export function toCheckedRecord(spec: DatasetSpec, element: RawElement): AnnotationRecord {
  let value: unknown
  try {
    value = parseElement(element)
  } catch (error) {
    if (error instanceof TextPositionError) {
      throw positionedError(
        'DATAFLOW_INPUT_INVALID',
        spec.annotation,
        error.position,
        `invalid JSON: ${error.message}`,
        { details: { dataset: spec.name, index: element.index } },
      )
    }
    throw error
  }
  const record = toAnnotationRecord(value)
  if (!isRecordProblem(record)) return record
  throw positionedError(
    'DATAFLOW_INPUT_INVALID',
    spec.annotation,
    positionInElement(element, record.pointer),
    `record ${element.index} of dataset "${spec.name}": ${record.problem}`,
    {
      hint: 'Annotation records look like {"id": 0, "image": "rel/path.jpg", "conversations": [...], "width": 640, "height": 480}.',
      details: { dataset: spec.name, index: element.index },
    },
  )
}

/** The id a record has inside its dataset: its own `id`, else its index. */
export const toRecordKey = (record: AnnotationRecord, index: number) => String(record.id ?? index)

/** Ids seen in one dataset, with the line each was first seen on. Whole-number ids are kept as numbers (far smaller than strings). */
export type SeenIds = Map<string | number, number>

const WHOLE_NUMBER = /^(?:0|[1-9]\d{0,14})$/

/** Remembers the record's id and throws a positioned DATAFLOW_INPUT_INVALID at its second occurrence. */
export function checkUniqueId(spec: DatasetSpec, element: RawElement, record: AnnotationRecord, seen: SeenIds): void {
  const key = toRecordKey(record, element.index)
  const compact = WHOLE_NUMBER.test(key) ? Number(key) : key
  const firstLine = seen.get(compact)
  if (firstLine !== undefined) {
    const here = positionInElement(element, record.id === undefined ? '' : '/id')
    throw positionedError(
      'DATAFLOW_INPUT_INVALID',
      spec.annotation,
      here,
      `record ${element.index} of dataset "${spec.name}": duplicate id ${JSON.stringify(key)} (first on line ${firstLine})`,
      {
        hint: 'Ids must be unique within a dataset (records without an id use their index).',
        details: { dataset: spec.name, index: element.index, id: key },
      },
    )
  }
  seen.set(compact, element.position.line)
}
