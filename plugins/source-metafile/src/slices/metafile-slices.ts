import type { Logger, Shard } from '@dataflow/sdk'
import type { ItemWeights } from '../config.js'
import { createItemWeigher } from '../dataset/create-item-weigher.js'
import { loadMetafile } from '../dataset/load-metafile.js'
import { planShards } from '../dataset/plan-shards.js'
import { scanDatasets } from '../dataset/scan-datasets.js'
import type { ResolvedSlices } from './resolved-slices.js'

export interface MetafileSlicesOptions {
  datasets?: readonly string[]
  shard: Shard | undefined
  validate: boolean
  weights?: ItemWeights
  logger: Logger
  signal: AbortSignal
}

/**
 * The slices of a Metafile run: everything (up to each `sample_count`), or, for a shard, the
 * contiguous part of about 1/n of the total weight. Scans the files unless `validate` is
 * false and the run is not sharded.
 */
export async function resolveMetafileSlices(path: string, options: MetafileSlicesOptions): Promise<ResolvedSlices> {
  const specs = await loadMetafile(path, options.datasets)
  const { shard, logger } = options
  if (!options.validate && !shard) {
    return {
      slices: specs.map((spec) => ({ dataset: spec, start: 0, end: spec.sampleCount ?? Infinity })),
      scanned: false,
      inputFiles: [path],
    }
  }
  const weigh = shard ? createItemWeigher(options.weights) : undefined
  const scans = await scanDatasets(specs, {
    ...(weigh ? { weigh } : {}),
    signal: options.signal,
    onLengthMismatch: (spec, found) =>
      logger.warn(
        { dataset: spec.name, declared: spec.length, found },
        'the Metafile `length` differs from the number of records',
      ),
  })
  if (!shard) {
    return {
      slices: specs.map((spec, index) => ({ dataset: spec, start: 0, end: scans[index]!.count })),
      scanned: true,
      inputFiles: [path],
    }
  }
  const planned = planShards(
    scans.map((scan) => scan.weights!),
    shard.count,
  )
  const total = planned.reduce((sum, slice) => sum + slice.weight, 0)
  const mine = planned.filter((slice) => slice.shard === shard.index)
  const weight = mine.reduce((sum, slice) => sum + slice.weight, 0)
  logger.info(
    {
      shard: `${shard.index + 1}/${shard.count}`,
      weight,
      share: total === 0 ? 0 : weight / total,
      slices: mine.map((slice) => ({ dataset: specs[slice.datasetIndex]!.name, start: slice.start, end: slice.end })),
    },
    'shard planned',
  )
  return {
    slices: mine.map((slice) => ({ dataset: specs[slice.datasetIndex]!, start: slice.start, end: slice.end })),
    scanned: true,
    inputFiles: [path],
  }
}
