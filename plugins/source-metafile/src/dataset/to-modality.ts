import type { DatasetSpec } from './dataset-spec.js'
import type { AnnotationRecord } from './to-annotation-record.js'

/** `video` when the record has a `video` or the dataset says video; otherwise `image`. */
export function toModality(spec: DatasetSpec, record: AnnotationRecord): 'image' | 'video' {
  return record.video !== undefined || spec.modality === 'video' ? 'video' : 'image'
}
