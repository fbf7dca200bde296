import { extname } from 'node:path'
import type { IoContext, SinkInstance } from '@dataflow/sdk'
import { DEFAULTS, type LlavaSinkConfig } from './config.js'
import { createFileWriter } from './file-writer.js'
import { createEntryBuilder } from './to-llava-entry.js'

/**
 * Opens the export. In `json` format the file is one array written incrementally: `[` on open,
 * entries separated by commas, `]` on close (a run killed before close leaves it unterminated).
 */
export async function createLlavaSink(config: LlavaSinkConfig, context: IoContext): Promise<SinkInstance> {
  const toEntry = createEntryBuilder(config)
  const path = context.resolveOutput(config.path ?? DEFAULTS.path)
  const format = resolveFormat(config.format ?? DEFAULTS.format, path)
  const writer = await createFileWriter(path)
  let written = 0
  let closed = false
  if (format === 'json') await writer.write('[')
  context.logger.debug({ path, format }, 'llava sink opened')

  return {
    async write(record) {
      const line = JSON.stringify(toEntry(record))
      if (format === 'jsonl') await writer.write(`${line}\n`)
      else await writer.write(`${written === 0 ? '\n' : ',\n'}${line}`)
      written++
    },
    flush: () => writer.flush(),
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
