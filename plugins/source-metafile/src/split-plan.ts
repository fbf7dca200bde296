import { relative } from 'node:path'
import type { ItemWeights } from './config.js'
import { createItemWeigher } from './dataset/create-item-weigher.js'
import { loadMetafile } from './dataset/load-metafile.js'
import { planShards } from './dataset/plan-shards.js'
import { scanDatasets } from './dataset/scan-datasets.js'

/** One line of a split-plan file (see the README for the format). */
export interface SplitPlanLine {
  dataset: string
  /** Relative to the plan file's folder. */
  annotation: string
  /** Relative to the plan file's folder. */
  root: string
  task?: string
  modality?: 'image' | 'video'
  /** First record (0-based) of the slice. */
  start: number
  /** One past the last record. */
  end: number
  /** 0-based shard that takes the slice. */
  shard: number
  /** Sum of the item weights (informational; ignored when the plan is read). */
  weight: number
}

export interface SplitPlanOptions {
  datasets?: readonly string[]
  weights?: ItemWeights
  /** Folder the plan file will live in: paths are written relative to it. */
  planFolder: string
}

/**
 * Scans a Metafile's datasets (checking them) and splits them into `shardCount` contiguous
 * slices of balanced weight: the same plan `--shard i/n` computes, written out so that it can
 * be inspected, edited, or handed to other tools.
 */
export async function createSplitPlan(
  metafile: string,
  shardCount: number,
  options: SplitPlanOptions,
): Promise<SplitPlanLine[]> {
  const specs = await loadMetafile(metafile, options.datasets)
  const scans = await scanDatasets(specs, { weigh: createItemWeigher(options.weights) })
  return planShards(
    scans.map((scan) => scan.weights!),
    shardCount,
  ).map((slice) => {
    const spec = specs[slice.datasetIndex]!
    return {
      dataset: spec.name,
      annotation: relative(options.planFolder, spec.annotation),
      root: relative(options.planFolder, spec.root) || '.',
      ...(spec.task === undefined ? {} : { task: spec.task }),
      ...(spec.modality === undefined ? {} : { modality: spec.modality }),
      start: slice.start,
      end: slice.end,
      shard: slice.shard,
      weight: Math.round(slice.weight * 1000) / 1000,
    }
  })
}
