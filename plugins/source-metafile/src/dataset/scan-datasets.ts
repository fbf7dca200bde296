import type { AnnotationRecord } from './to-annotation-record.js'
import type { DatasetSpec } from './dataset-spec.js'
import { scanDataset, type DatasetScan } from './scan-dataset.js'

export interface ScanDatasetsOptions {
  /** Keep per-record weights (for shard planning). */
  weigh?: (spec: DatasetSpec, record: AnnotationRecord) => number
  signal?: AbortSignal
  /** Told when a dataset's declared `length` differs from what its file holds. */
  onLengthMismatch?(spec: DatasetSpec, found: number): void
}

/** Scans the datasets of a Metafile in order, each up to its `sample_count`. */
export async function scanDatasets(
  specs: readonly DatasetSpec[],
  options: ScanDatasetsOptions = {},
): Promise<DatasetScan[]> {
  const scans: DatasetScan[] = []
  for (const spec of specs) {
    const scan = await scanDataset(spec, {
      ...(spec.sampleCount === undefined ? {} : { limit: spec.sampleCount }),
      ...(options.weigh ? { weigh: options.weigh } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      seen: new Map(),
    })
    if (spec.sampleCount === undefined && spec.length !== undefined && spec.length !== scan.count)
      options.onLengthMismatch?.(spec, scan.count)
    scans.push(scan)
  }
  return scans
}
