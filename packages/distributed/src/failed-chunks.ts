import type { Queue } from 'bullmq'
import type { ChunkJob } from './chunk-spec.js'

/** A chunk that used up its attempts. */
export interface FailedChunk {
  index: number
  jobId: string
  reason: string
  attempts: number
}

/** Failed chunks of a run (the BullMQ failed set, kept: `removeOnFail: false`). */
export async function readFailedChunks(queue: Queue<ChunkJob>, runId: string): Promise<FailedChunk[]> {
  const jobs = await queue.getJobs(['failed'])
  return jobs
    .filter((job) => job.data.runId === runId)
    .map((job) => ({
      index: job.data.chunk.index,
      jobId: job.id ?? '',
      reason: job.failedReason ?? 'unknown',
      attempts: job.attemptsMade,
    }))
    .sort((a, b) => a.index - b.index)
}
