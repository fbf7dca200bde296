import type { DatasetSlice } from '../dataset/dataset-spec.js'

/** What a run of this source reads: its slices, and the files that decide them. */
export interface ResolvedSlices {
  slices: DatasetSlice[]
  /** True when every annotation file was scanned and checked (slice ends are exact). */
  scanned: boolean
  /** Metafile or plan file (for the fingerprint). */
  inputFiles: string[]
}
