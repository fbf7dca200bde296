import { realpath } from 'node:fs/promises'
import { DataflowError, type SourceRecord } from '@dataflow/sdk'
import type { DatasetSlice } from '../dataset/dataset-spec.js'
import { checkUniqueId, readAnnotationElements, toCheckedRecord, type SeenIds } from '../dataset/read-annotation.js'
import { createMediaPathResolver } from '../dataset/resolve-media-path.js'
import { toSourceRecord } from '../dataset/to-source-record.js'

/**
 * Streams the items of the slices in order, one annotation record per pull. Records outside a
 * slice are skipped without being parsed. With `checkIds` (files not scanned beforehand),
 * record problems and duplicate ids are thrown when reached.
 */
export async function* readSlices(
  slices: readonly DatasetSlice[],
  options: { checkIds: boolean; signal: AbortSignal },
): AsyncGenerator<SourceRecord> {
  const seenByDataset = new Map<string, SeenIds>()
  for (const slice of slices) {
    const spec = slice.dataset
    if (slice.end <= slice.start) continue
    const resolveMedia = createMediaPathResolver(spec.root, await realpath(spec.root).catch(() => undefined))
    let seen: SeenIds | undefined
    if (options.checkIds) {
      seen = seenByDataset.get(spec.name) ?? new Map()
      seenByDataset.set(spec.name, seen)
    }
    let next = slice.start
    for await (const element of readAnnotationElements(spec.annotation)) {
      if (options.signal.aborted) return
      if (element.index < slice.start) continue
      if (element.index >= slice.end) break
      const record = toCheckedRecord(spec, element)
      if (seen) checkUniqueId(spec, element, record, seen)
      yield await toSourceRecord(spec, resolveMedia, element.index, record)
      next = element.index + 1
    }
    if (Number.isFinite(slice.end) && next < slice.end) {
      throw new DataflowError(
        'DATAFLOW_INPUT_INVALID',
        `${spec.declaredAt}: dataset "${spec.name}" asks for records ${slice.start}-${slice.end - 1} of ${spec.annotation}, which holds ${next}`,
      )
    }
  }
}

/** Exact for known slice ends; otherwise the Metafile's `length` (capped by `sample_count`), counting records only where no length is declared. */
export async function countSliceItems(slices: readonly DatasetSlice[]): Promise<number> {
  let total = 0
  for (const slice of slices) {
    if (Number.isFinite(slice.end)) {
      total += slice.end - slice.start
      continue
    }
    const declared = slice.dataset.length
    if (declared !== undefined) {
      total += Math.min(declared, slice.dataset.sampleCount ?? Infinity)
      continue
    }
    let records = 0
    for await (const _ of readAnnotationElements(slice.dataset.annotation)) records++
    total += Math.min(records, slice.dataset.sampleCount ?? Infinity)
  }
  return total
}
