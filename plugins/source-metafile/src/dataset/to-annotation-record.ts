import { describeValue } from './describe-value.js'

/** The fields of an annotation record this source uses (others are ignored). */
export interface AnnotationRecord {
  id?: string | number
  image?: string
  video?: string
  conversations?: unknown[]
  width?: number
  height?: number
  task?: string
}

/** Why a record is unusable, and which member (JSON Pointer, `''` for the whole record). */
export interface RecordProblem {
  problem: string
  pointer: string
}

/**
 * Checks one parsed annotation record. `null` counts as absent for optional fields.
 * A record needs exactly one of `image` and `video`, each a non-empty string
 * (multi-image lists are not supported).
 */
export function toAnnotationRecord(value: unknown): AnnotationRecord | RecordProblem {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      problem: `a record must be a JSON object, found ${Array.isArray(value) ? 'a list' : describeValue(value)}`,
      pointer: '',
    }
  }
  const raw = value as Record<string, unknown>
  const present = (key: string) => raw[key] !== undefined && raw[key] !== null
  if (!present('image') && !present('video'))
    return { problem: 'the record has neither "image" nor "video"', pointer: '' }
  if (present('image') && present('video'))
    return { problem: 'the record has both "image" and "video"; keep one', pointer: '/video' }
  const mediaKey = present('image') ? 'image' : 'video'
  const media = raw[mediaKey]
  if (typeof media !== 'string' || media === '') {
    const list = Array.isArray(media) ? ' (records with several images are not supported)' : ''
    return {
      problem: `"${mediaKey}" must be a non-empty string (a path relative to the dataset root), found ${describeValue(media)}${list}`,
      pointer: `/${mediaKey}`,
    }
  }
  const record: AnnotationRecord = { [mediaKey]: media }
  if (present('id')) {
    const id = raw['id']
    if (!((typeof id === 'string' && id !== '') || (typeof id === 'number' && Number.isFinite(id)))) {
      return { problem: `"id" must be a non-empty string or a number, found ${describeValue(id)}`, pointer: '/id' }
    }
    record.id = id
  }
  if (present('conversations')) {
    if (!Array.isArray(raw['conversations']))
      return {
        problem: `"conversations" must be a list, found ${describeValue(raw['conversations'])}`,
        pointer: '/conversations',
      }
    record.conversations = raw['conversations']
  }
  for (const key of ['width', 'height'] as const) {
    if (!present(key)) continue
    const size = raw[key]
    if (typeof size !== 'number' || !Number.isFinite(size) || size < 0)
      return { problem: `"${key}" must be a number >= 0, found ${describeValue(size)}`, pointer: `/${key}` }
    record[key] = size
  }
  if (present('task')) {
    if (typeof raw['task'] !== 'string' || raw['task'] === '')
      return { problem: `"task" must be a non-empty string, found ${describeValue(raw['task'])}`, pointer: '/task' }
    record.task = raw['task']
  }
  return record
}

export const isRecordProblem = (value: AnnotationRecord | RecordProblem): value is RecordProblem => 'problem' in value
