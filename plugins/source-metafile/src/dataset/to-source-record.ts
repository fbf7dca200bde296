import { DataflowError, type SourceRecord } from '@dataflow/sdk'
import type { DatasetSpec } from './dataset-spec.js'
import type { MediaPathResolver } from './resolve-media-path.js'
import { toRecordKey } from './read-annotation.js'
import type { AnnotationRecord } from './to-annotation-record.js'
import { toModality } from './to-modality.js'

/**
 * Builds the item of one annotation record: `{ id: "<dataset>/<record id or index>", dataset,
 * modality, media, image|video, task?, conversations?, width?, height?, sourceIndex }`.
 * A media path that leaves the dataset root becomes an error record for this item only.
 */
export async function toSourceRecord(
  spec: DatasetSpec,
  resolveMedia: MediaPathResolver,
  index: number,
  record: AnnotationRecord,
): Promise<SourceRecord> {
  const id = `${spec.name}/${toRecordKey(record, index)}`
  const mediaPath = (record.image ?? record.video)!
  const task = record.task ?? spec.task
  const data = {
    id,
    dataset: spec.name,
    modality: toModality(spec, record),
    ...(record.image !== undefined ? { image: record.image } : { video: mediaPath }),
    ...(task === undefined ? {} : { task }),
    ...(record.conversations === undefined ? {} : { conversations: record.conversations }),
    ...(record.width === undefined ? {} : { width: record.width }),
    ...(record.height === undefined ? {} : { height: record.height }),
    sourceIndex: index,
  }
  const resolved = await resolveMedia(mediaPath)
  if ('problem' in resolved) {
    return {
      id,
      data,
      error: new DataflowError('DATAFLOW_INPUT_INVALID', `${id}: ${resolved.problem}`, {
        hint: 'Media paths must stay inside the dataset root.',
        details: { dataset: spec.name, index, annotation: spec.annotation },
      }),
    }
  }
  return { id, data: { ...data, media: resolved.path } }
}
