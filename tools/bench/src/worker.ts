/**
 * Child process that runs one measured job (a pipeline run) and answers its figures: each job
 * gets a fresh process, so peak RSS and CPU time belong to that job alone.
 */
import { serveParent } from './support/child-channel.js'
import { runDagJob, type DagJob } from './jobs/dag-job.js'
import { runPipelineJob, type PipelineJob } from './jobs/pipeline-job.js'
import { runCapflowJob, type CapflowJob } from './jobs/capflow-job.js'
import { runMediaJob, type MediaJob } from './jobs/media-job.js'
import { runHttpFloorJob, type HttpFloorJob } from './jobs/http-floor-job.js'
import { runShardReadJob, type ShardReadJob } from './jobs/shard-read-job.js'

export type WorkerJob = DagJob | PipelineJob | CapflowJob | MediaJob | HttpFloorJob | ShardReadJob

serveParent(async (message) => {
  const job = message as unknown as WorkerJob
  switch (job.type) {
    case 'dag':
      return runDagJob(job)
    case 'pipeline':
      return runPipelineJob(job)
    case 'capflow':
      return runCapflowJob(job)
    case 'media':
      return runMediaJob(job)
    case 'http-floor':
      return runHttpFloorJob(job)
    case 'shard-read':
      return runShardReadJob(job)
    default:
      throw new Error(`unknown job ${(job as { type: string }).type}`)
  }
})
