import type { SourcePosition } from '@dataflow/sdk'

/**
 * One job on the queue: a run of consecutive source records. A worker reads it alone: the source
 * continues after `after` (a position the source gave), skips `skip` more records, then takes `size`.
 */
export interface ChunkSpec {
  /** 0-based, in source order. */
  index: number
  /** Position of the last record before the chunk; absent for the first chunk or a source without positions. */
  after?: SourcePosition
  /** Records to skip after `after` (or from the start) before the chunk's first record. */
  skip: number
  /** Records in the chunk (the last chunk may be shorter). */
  size: number
}

/** What a worker needs to run a chunk: carried by the job. */
export interface ChunkJob {
  runId: string
  /** Absolute path of the pipeline file (on the shared filesystem). */
  pipelineFile: string
  /** The coordinator's `--set` overrides; a worker's own `--set` come after them. */
  set: string[]
  /** Absolute run directory on the shared filesystem; the chunk runs in `<runDir>/chunks/<index>`. */
  runDir: string
  chunk: ChunkSpec
}

/** Outcome counts a worker records when a chunk is finished. */
export interface ChunkResult {
  input: number
  ok: number
  rejected: number
  error: number
  interrupted: number
  worker: string
}

/** `00042`: the chunk's folder under `<runDir>/chunks/`. */
export function chunkFolderName(index: number): string {
  return String(index).padStart(5, '0')
}

/** The BullMQ job id of a chunk: the same chunk of the same run is never enqueued twice. */
export function toChunkJobId(runId: string, index: number): string {
  return `${runId}-${chunkFolderName(index)}`
}
