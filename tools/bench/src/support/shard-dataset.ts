import { access, rename, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { repoPath } from './paths.js'

/** One dataset of the shard benchmark: where its files are, and the pattern a source takes. */
export interface ShardDataset {
  format: 'webdataset' | 'parquet'
  /** Samples per tar shard, or rows per Parquet file. */
  perFile: number
  items: number
  /** The `shards` / `files` setting. */
  pattern: string
}

interface Generators {
  sampleImages(): Promise<Array<{ jpeg: Buffer }>>
  writeSampleShards(dir: string, options: { images: unknown[]; repeat: number; perShard: number }): Promise<number>
  writeSampleParquet(
    dir: string,
    options: { images: unknown[]; repeat: number; files: number; rowGroupRows: number },
  ): Promise<void>
}

/**
 * The benchmark's container datasets: data/sample's 26 images repeated under distinct keys,
 * as img2dataset shards and as HF Parquet files, each in small and large files. Made once in the
 * temp folder by tools/generators/shard-data.mjs and reused.
 */
export async function shardDatasets(repeat: number, small: number, large: number): Promise<ShardDataset[]> {
  const generators = (await import(pathToFileURL(repoPath('tools/generators/shard-data.mjs')).href)) as Generators
  const folder = join(tmpdir(), `dataflow-bench-shards-${repeat}-${small}-${large}-v1`)
  const images = await generators.sampleImages()
  const items = images.length * repeat
  const datasets: ShardDataset[] = []
  for (const perFile of [small, large]) {
    datasets.push({ format: 'webdataset', perFile, items, pattern: join(folder, `wds-${perFile}`, '*.tar') })
    datasets.push({ format: 'parquet', perFile, items, pattern: join(folder, `hf-${perFile}`, 'data', '*.parquet') })
  }
  try {
    await access(join(folder, 'done'))
    return datasets
  } catch {
    // not built yet
  }
  const building = `${folder}.building-${process.pid}`
  await rm(building, { recursive: true, force: true })
  for (const perFile of [small, large]) {
    await generators.writeSampleShards(join(building, `wds-${perFile}`), { images, repeat, perShard: perFile })
    // HF datasets write image row groups of about 100 rows.
    await generators.writeSampleParquet(join(building, `hf-${perFile}`), {
      images,
      repeat,
      files: Math.ceil(items / perFile),
      rowGroupRows: 100,
    })
  }
  await (await import('node:fs/promises')).writeFile(join(building, 'done'), '')
  await rm(folder, { recursive: true, force: true })
  await rename(building, folder)
  return datasets
}
