import type { AnnotationRecord } from './to-annotation-record.js'
import type { DatasetSpec } from './dataset-spec.js'
import { checkUniqueId, readAnnotationElements, toCheckedRecord, type SeenIds } from './read-annotation.js'

export interface ScanOptions {
  /** Stop after this many records (the dataset's `sample_count`). */
  limit?: number
  /** When given, the weight of every record is kept for shard planning. */
  weigh?: (spec: DatasetSpec, record: AnnotationRecord) => number
  /** Ids seen so far in this dataset (shared when one dataset spans several files). */
  seen: SeenIds
  signal?: AbortSignal
}

export interface DatasetScan {
  /** Records scanned (at most `limit`). */
  count: number
  /** One weight per record, when `weigh` was given. */
  weights: Float32Array | undefined
}

/**
 * Reads a whole annotation file (up to `limit` records) in constant memory apart from the ids
 * and weights: checks its syntax, every record's fields and unique ids, throwing the first
 * problem as a DataflowError with `file:line:column`.
 */
export async function scanDataset(spec: DatasetSpec, options: ScanOptions): Promise<DatasetScan> {
  const limit = options.limit ?? Infinity
  let weights = options.weigh ? new Float32Array(1024) : undefined
  let count = 0
  if (limit > 0) {
    for await (const element of readAnnotationElements(spec.annotation)) {
      if (options.signal?.aborted) break
      const record = toCheckedRecord(spec, element)
      checkUniqueId(spec, element, record, options.seen)
      if (weights && options.weigh) {
        if (count === weights.length) {
          const grown = new Float32Array(weights.length * 2)
          grown.set(weights)
          weights = grown
        }
        weights[count] = options.weigh(spec, record)
      }
      count++
      if (count >= limit) break
    }
  }
  return { count, weights: weights?.subarray(0, count) }
}
