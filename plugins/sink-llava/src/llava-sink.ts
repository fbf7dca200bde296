import { extname } from 'node:path'
import type { SinkContext, SinkInstance } from '@dataflow/sdk'
import { DEFAULTS, type LlavaSinkConfig } from './config.js'
import { createFileWriter } from '@dataflow/sdk'
import { createEntryBuilder } from './to-llava-entry.js'

/**
 * Opens the export. In `json` format the file is one array written incrementally: `[` on open,
 * entries separated by commas, `]` on close (a run killed before close leaves it unterminated;
 * resuming it cuts the file back to the last checkpoint, before any `]`, and goes on).
 */
export async function createLlavaSink(config: LlavaSinkConfig, context: SinkContext): Promise<SinkInstance> {
  const toEntry = createEntryBuilder(config)
  const path = context.resolveOutput(config.path ?? DEFAULTS.path)
  const format = resolveFormat(config.format ?? DEFAULTS.format, path)
  const resumeAt = context.resumeFrom?.['bytes']
  const resumedEntries = context.resumeFrom?.['entries']
  const resuming = typeof resumeAt === 'number' && typeof resumedEntries === 'number'
  const writer = await createFileWriter(path, resuming ? { resumeAt } : {})
  let written = resuming ? resumedEntries : 0
  let closed = false
  if (format === 'json' && !resuming) await writer.write('[')
  context.logger.debug({ path, format }, 'llava sink opened')

  return {
    async write(record) {
      const line = JSON.stringify(toEntry(record))
      if (format === 'jsonl') await writer.write(`${line}\n`)
      else await writer.write(`${written === 0 ? '\n' : ',\n'}${line}`)
      written++
    },
    flush: () => writer.flush(),
    async checkpoint() {
      const position = { bytes: writer.bytes, entries: written }
      await writer.flush()
      return position
    },
    async close() {
      if (closed) return
      closed = true
      if (format === 'json') await writer.write(written === 0 ? ']\n' : '\n]\n')
      await writer.close()
      context.logger.info({ path, entries: written }, 'llava export written')
    },
  }
}

function resolveFormat(format: 'auto' | 'json' | 'jsonl', path: string): 'json' | 'jsonl' {
  if (format !== 'auto') return format
  return extname(path).toLowerCase() === '.jsonl' ? 'jsonl' : 'json'
}
