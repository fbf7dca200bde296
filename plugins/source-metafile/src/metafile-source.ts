import { createHash } from 'node:crypto'
import { realpath, stat } from 'node:fs/promises'
import { DataflowError, type Shard, type SourceContext, type SourceInstance, type SourceRecord } from '@dataflow/sdk'
import type { MetafileSourceConfig } from './config.js'
import { createItemWeigher } from './dataset/create-item-weigher.js'
import type { DatasetSlice } from './dataset/dataset-spec.js'
import { loadMetafile } from './dataset/load-metafile.js'
import { loadPlan } from './dataset/load-plan.js'
import { planShards } from './dataset/plan-shards.js'
import { positionedError } from './dataset/positioned-error.js'
import { checkUniqueId, readAnnotationElements, toCheckedRecord } from './dataset/read-annotation.js'
import { createMediaPathResolver } from './dataset/resolve-media-path.js'
import { scanDataset, type DatasetScan } from './dataset/scan-dataset.js'
import { toSourceRecord } from './dataset/to-source-record.js'

/**
 * Loads the Metafile (or plan), scans the annotation files unless `validate: false`, and
 * decides the slices this shard reads. Bad input fails here, before the first item.
 */
export async function createMetafileSource(config: MetafileSourceConfig, context: SourceContext): Promise<SourceInstance> {
  if (config.metafile === undefined && config.plan === undefined) {
    throw new DataflowError('DATAFLOW_CONFIG_INVALID', 'set `metafile` (or `plan`) for @dataflow/plugin-source-metafile')
  }
  const shard = checkShard(context.shard)
  const validate = config.validate ?? true
  const started = Date.now()
  const inputFiles: string[] = []
  let slices: DatasetSlice[]
  let scanned = false

  if (config.plan !== undefined) {
    const planPath = context.resolvePath(config.plan)
    inputFiles.push(planPath)
    const plan = await loadPlan(planPath, config.datasets)
    if (shard) {
      const outside = plan.find((line) => line.shard >= shard.count)
      if (outside) {
        throw new DataflowError('DATAFLOW_USAGE', `${planPath}:${outside.line}:1: the plan assigns shard ${outside.shard}, but this run is shard ${shard.index + 1} of ${shard.count}`, {
          hint: 'Run with as many shards as the plan has (--shard i/n with the same n).',
        })
      }
    }
    const mine = plan.filter((line) => !shard || line.shard === shard.index)
    if (mine.length === 0) context.logger.warn({ plan: planPath, shard }, 'the plan has no slice for this shard')
    slices = mine.map((line) => line.slice)
    if (validate) {
      const seen = new Map<string, Map<string, string>>()
      const counts = new Map<string, number>()
      for (const line of mine) {
        const spec = line.slice.dataset
        if (!counts.has(spec.annotation)) {
          const ids = seen.get(spec.name) ?? new Map<string, string>()
          seen.set(spec.name, ids)
          counts.set(spec.annotation, (await scanDataset(spec, { seen: ids, signal: context.signal })).count)
        }
        const available = counts.get(spec.annotation)!
        if (line.slice.end > available) {
          throw positionedError('DATAFLOW_INPUT_INVALID', planPath, { line: line.line, column: 1 },
            `plan line ${line.line} takes records up to ${line.slice.end - 1} of ${spec.annotation}, which holds ${available}`)
        }
      }
      scanned = true
    }
  } else {
    const metafilePath = context.resolvePath(config.metafile!)
    inputFiles.push(metafilePath)
    const specs = await loadMetafile(metafilePath, config.datasets)
    if (validate || shard) {
      const weigh = shard ? createItemWeigher(config.weights) : undefined
      const scans: DatasetScan[] = []
      for (const spec of specs) {
        const scan = await scanDataset(spec, { ...(spec.sampleCount === undefined ? {} : { limit: spec.sampleCount }), ...(weigh ? { weigh } : {}), seen: new Map(), signal: context.signal })
        if (spec.sampleCount === undefined && spec.length !== undefined && spec.length !== scan.count) {
          context.logger.warn({ dataset: spec.name, declared: spec.length, found: scan.count }, 'the Metafile `length` differs from the number of records')
        }
        scans.push(scan)
      }
      scanned = true
      if (shard) {
        const planned = planShards(scans.map((scan) => scan.weights!), shard.count)
        const total = planned.reduce((sum, slice) => sum + slice.weight, 0)
        const mine = planned.filter((slice) => slice.shard === shard.index)
        const weight = mine.reduce((sum, slice) => sum + slice.weight, 0)
        context.logger.info({ shard: `${shard.index + 1}/${shard.count}`, weight, share: total === 0 ? 0 : weight / total, slices: mine.map((s) => ({ dataset: specs[s.datasetIndex]!.name, start: s.start, end: s.end })) }, 'shard planned')
        slices = mine.map((slice) => ({ dataset: specs[slice.datasetIndex]!, start: slice.start, end: slice.end }))
      } else {
        slices = specs.map((spec, index) => ({ dataset: spec, start: 0, end: scans[index]!.count }))
      }
    } else {
      slices = specs.map((spec) => ({ dataset: spec, start: 0, end: spec.sampleCount ?? Infinity }))
    }
  }
  if (scanned) context.logger.info({ slices: slices.length, items: slices.reduce((sum, s) => sum + s.end - s.start, 0), ms: Date.now() - started }, 'annotation files checked')

  let counted: Promise<number | undefined> | undefined
  return {
    count() {
      counted ??= countItems(slices)
      return counted
    },
    async fingerprint() {
      const files = [...new Set([...inputFiles, ...slices.map((slice) => slice.dataset.annotation)])]
      const facts = await Promise.all(files.map(async (file) => {
        const stats = await stat(file).catch(() => undefined)
        return [file, stats?.size ?? -1, Math.trunc(stats?.mtimeMs ?? -1)]
      }))
      const layout = slices.map((slice) => [slice.dataset.name, slice.dataset.root, slice.start, slice.end])
      const digest = createHash('sha256').update(JSON.stringify([facts, layout, shard ? `${shard.index}/${shard.count}` : null])).digest('hex')
      return `metafile:${digest.slice(0, 16)}`
    },
    read: () => readSlices(slices, { checkIds: !scanned, signal: context.signal }),
  }
}

async function* readSlices(slices: readonly DatasetSlice[], options: { checkIds: boolean; signal: AbortSignal }): AsyncGenerator<SourceRecord> {
  const seenByDataset = new Map<string, Map<string, string>>()
  for (const slice of slices) {
    const spec = slice.dataset
    if (slice.end <= slice.start) continue
    const resolveMedia = createMediaPathResolver(spec.root, await realpath(spec.root).catch(() => undefined))
    let seen: Map<string, string> | undefined
    if (options.checkIds) {
      seen = seenByDataset.get(spec.name) ?? new Map()
      seenByDataset.set(spec.name, seen)
    }
    let next = slice.start
    for await (const element of readAnnotationElements(spec.annotation)) {
      if (options.signal.aborted) return
      if (element.index < slice.start) continue
      if (element.index >= slice.end) break
      const record = toCheckedRecord(spec, element)
      if (seen) checkUniqueId(spec, element, record, seen)
      yield await toSourceRecord(spec, resolveMedia, element.index, record)
      next = element.index + 1
    }
    if (Number.isFinite(slice.end) && next < slice.end) {
      throw new DataflowError('DATAFLOW_INPUT_INVALID', `${spec.declaredAt}: dataset "${spec.name}" asks for records ${slice.start}-${slice.end - 1} of ${spec.annotation}, which holds ${next}`)
    }
  }
}

/** Exact when the slices are known; otherwise from the Metafile's `sample_count` / `length`, counting records only where neither is given. */
async function countItems(slices: readonly DatasetSlice[]): Promise<number> {
  let total = 0
  for (const slice of slices) {
    if (Number.isFinite(slice.end)) {
      total += slice.end - slice.start
      continue
    }
    const declared = slice.dataset.length
    if (declared !== undefined) {
      total += Math.min(declared, slice.dataset.sampleCount ?? Infinity)
      continue
    }
    let records = 0
    for await (const _ of readAnnotationElements(slice.dataset.annotation)) records++
    total += records
  }
  return total
}

function checkShard(shard: Shard | undefined): Shard | undefined {
  if (!shard) return undefined
  if (!Number.isInteger(shard.count) || shard.count < 1 || !Number.isInteger(shard.index) || shard.index < 0 || shard.index >= shard.count) {
    throw new DataflowError('DATAFLOW_USAGE', `invalid shard ${shard.index}/${shard.count}: the index must be in 0..count-1`)
  }
  return shard.count === 1 ? undefined : shard
}
