import { createHash } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { DataflowError, type Shard, type SourceContext, type SourceInstance } from '@dataflow/sdk'
import type { MetafileSourceConfig } from './config.js'
import { resolveMetafileSlices } from './slices/metafile-slices.js'
import { resolvePlanSlices } from './slices/plan-slices.js'
import { countSliceItems, readSlices } from './slices/read-slices.js'

/**
 * Loads the Metafile (or plan), scans the annotation files unless `validate: false`, and
 * decides the slices this shard reads. Bad input fails here, before the first item.
 */
export async function createMetafileSource(
  config: MetafileSourceConfig,
  context: SourceContext,
): Promise<SourceInstance> {
  const shard = checkShard(context.shard)
  const started = Date.now()
  const options = {
    ...(config.datasets === undefined ? {} : { datasets: config.datasets }),
    shard,
    validate: config.validate ?? true,
    logger: context.logger,
    signal: context.signal,
  }
  let resolved
  if (config.plan !== undefined) resolved = await resolvePlanSlices(context.resolvePath(config.plan), options)
  else if (config.metafile !== undefined)
    resolved = await resolveMetafileSlices(context.resolvePath(config.metafile), {
      ...options,
      ...(config.weights ? { weights: config.weights } : {}),
    })
  else
    throw new DataflowError(
      'DATAFLOW_CONFIG_INVALID',
      'set `metafile` (or `plan`) for @dataflow/plugin-source-metafile',
    )
  const { slices, scanned, inputFiles } = resolved
  if (scanned) {
    context.logger.info(
      { slices: slices.length, items: slices.reduce((sum, s) => sum + s.end - s.start, 0), ms: Date.now() - started },
      'annotation files checked',
    )
  }

  let counted: Promise<number> | undefined
  return {
    count() {
      counted ??= countSliceItems(slices)
      return counted
    },
    async fingerprint() {
      const files = [...new Set([...inputFiles, ...slices.map((slice) => slice.dataset.annotation)])]
      const facts = await Promise.all(
        files.map(async (file) => {
          const stats = await stat(file).catch(() => undefined)
          return [file, stats?.size ?? -1, Math.trunc(stats?.mtimeMs ?? -1)]
        }),
      )
      const layout = slices.map((slice) => [
        slice.dataset.name,
        slice.dataset.root,
        slice.dataset.task ?? null,
        slice.start,
        slice.end,
      ])
      const digest = createHash('sha256')
        .update(JSON.stringify([facts, layout, shard ? `${shard.index}/${shard.count}` : null]))
        .digest('hex')
      return `metafile:${digest.slice(0, 16)}`
    },
    read: () => readSlices(slices, { checkIds: !scanned, signal: context.signal }),
  }
}

/** `--shard 1/1` is the whole input: treated like no shard. */
function checkShard(shard: Shard | undefined): Shard | undefined {
  if (!shard) return undefined
  if (
    !Number.isInteger(shard.count) ||
    shard.count < 1 ||
    !Number.isInteger(shard.index) ||
    shard.index < 0 ||
    shard.index >= shard.count
  ) {
    throw new DataflowError(
      'DATAFLOW_USAGE',
      `invalid shard ${shard.index}/${shard.count}: the index must be in 0..count-1`,
    )
  }
  return shard.count === 1 ? undefined : shard
}
