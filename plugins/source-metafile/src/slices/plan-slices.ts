import { DataflowError, type Logger, type Shard } from '@dataflow/sdk'
import { loadPlan } from '../dataset/load-plan.js'
import { positionedError } from '../dataset/positioned-error.js'
import type { SeenIds } from '../dataset/read-annotation.js'
import { scanDataset } from '../dataset/scan-dataset.js'
import type { ResolvedSlices } from './resolved-slices.js'

export interface PlanSlicesOptions {
  datasets?: readonly string[]
  shard: Shard | undefined
  validate: boolean
  logger: Logger
  signal: AbortSignal
}

/**
 * The slices a split plan gives this shard (all of them without sharding). With `validate`,
 * scans each annotation file they use and checks that every slice fits in its file.
 */
export async function resolvePlanSlices(path: string, options: PlanSlicesOptions): Promise<ResolvedSlices> {
  const { shard } = options
  const plan = await loadPlan(path, options.datasets)
  const outside = shard && plan.find((line) => line.shard >= shard.count)
  if (shard && outside) {
    throw new DataflowError(
      'DATAFLOW_USAGE',
      `${path}:${outside.line}:1: the plan assigns shard ${outside.shard}, but this run is shard ${shard.index + 1} of ${shard.count}`,
      {
        hint: 'Run with as many shards as the plan has (--shard i/n with the same n).',
      },
    )
  }
  const mine = plan.filter((line) => !shard || line.shard === shard.index)
  if (mine.length === 0) options.logger.warn({ plan: path, shard }, 'the plan has no slice for this shard')
  if (options.validate) {
    const seenByDataset = new Map<string, SeenIds>()
    const counts = new Map<string, number>()
    for (const line of mine) {
      const spec = line.slice.dataset
      let available = counts.get(spec.annotation)
      if (available === undefined) {
        const seen = seenByDataset.get(spec.name) ?? (new Map() as SeenIds)
        seenByDataset.set(spec.name, seen)
        available = (await scanDataset(spec, { seen, signal: options.signal })).count
        counts.set(spec.annotation, available)
      }
      if (line.slice.end > available) {
        throw positionedError(
          'DATAFLOW_INPUT_INVALID',
          path,
          { line: line.line, column: 1 },
          `plan line ${line.line} takes records up to ${line.slice.end - 1} of ${spec.annotation}, which holds ${available}`,
        )
      }
    }
  }
  return { slices: mine.map((line) => line.slice), scanned: options.validate, inputFiles: [path] }
}
