import { pino } from 'pino'
import { createMediaTools } from '@dataflow/media'
import type { SourceDefinition } from '@dataflow/sdk'
import webdatasetSource from '@dataflow/plugin-source-webdataset'
import parquetSource from '@dataflow/plugin-source-parquet'
import { startProcessMeter, type ProcessMeasure } from '../support/process-meter.js'

export interface ShardReadJob {
  type: 'shard-read'
  format: 'webdataset' | 'parquet'
  pattern: string
  /** Media reads in flight at once (the engine's window bounds them the same way). */
  inFlight: number
}

export interface ShardReadResult {
  items: number
  errors: number
  bytes: number
  measure: ProcessMeasure
}

/**
 * Streams a container dataset as the engine does up to the media node's input: the source's
 * records, pulled one at a time, and for each the image bytes read through the media tools from
 * their locator (tar member by positioned read, Parquet cell by row group). Nothing is decoded.
 */
export async function runShardReadJob(job: ShardReadJob): Promise<ShardReadResult> {
  const definition = (job.format === 'webdataset' ? webdatasetSource : parquetSource) as unknown as SourceDefinition
  const config = job.format === 'webdataset' ? { shards: job.pattern } : { files: job.pattern }
  const media = createMediaTools()
  const context = {
    logger: pino({ level: 'silent' }),
    signal: new AbortController().signal,
    resolvePath: (path: string) => path,
    resolveOutput: (path: string) => path,
    runDir: process.cwd(),
    shard: undefined,
  }
  const meter = startProcessMeter()
  const source = await definition.create(config, context)
  let items = 0
  let errors = 0
  let bytes = 0
  const inFlight = new Set<Promise<void>>()
  for await (const record of source.read()) {
    items++
    const locator = record.data?.['media']
    if (record.error || typeof locator !== 'string') {
      errors++
      continue
    }
    const read: Promise<void> = media.readMedia(locator).then(
      (data) => {
        bytes += data.byteLength
        inFlight.delete(read)
      },
      () => {
        errors++
        inFlight.delete(read)
      },
    )
    inFlight.add(read)
    if (inFlight.size >= job.inFlight) await Promise.race(inFlight)
  }
  await Promise.all(inFlight)
  const measure = meter.stop()
  await media.close()
  return { items, errors, bytes, measure }
}
