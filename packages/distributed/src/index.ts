export {
  runCoordinator,
  type CoordinatorHandle,
  type CoordinatorOptions,
  type CoordinatorResult,
  type ChunkCounts,
} from './run-coordinator.js'
export { runWorker, type WorkerOptions } from './run-worker.js'
export { readStatus, formatStatus, type QueueStatus } from './read-status.js'
export { toChunkPipeline, readChunk } from './chunk-source.js'
export { cutChunks, type CutPoint } from './cut-chunks.js'
export type { ChunkJob, ChunkResult, ChunkSpec } from './chunk-spec.js'
export type { FailedChunk } from './failed-chunks.js'
export type { WorkerBeat } from './worker-heartbeat.js'
export { toRunId } from './run-id.js'
export { createConsoleLogger } from './create-console-logger.js'
export type { ChunkObserver, ChunkRunInfo } from './chunk-observer.js'
