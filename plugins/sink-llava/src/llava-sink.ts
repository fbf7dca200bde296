import { extname } from 'node:path'
import { createRecordWriter, type SinkContext, type SinkInstance } from '@dataflow/sdk'
import { DEFAULTS, type LlavaSinkConfig } from './config.js'
import { createEntryBuilder } from './to-llava-entry.js'

/**
 * Opens the export. In `json` format each file is one array written incrementally: `[` when the
 * file opens, entries separated by commas, `]` when it is finished (rotated or closed). A run
 * killed before that leaves the file unterminated; resuming the run cuts it back to the last
 * checkpoint, before any `]`, and goes on. In `jsonl` format every entry is a line: the file
 * streams and is valid at every moment.
 */
export async function createLlavaSink(config: LlavaSinkConfig, context: SinkContext): Promise<SinkInstance> {
  const toEntry = createEntryBuilder(config)
  const path = context.resolveOutput(config.path ?? DEFAULTS.path)
  const format = resolveFormat(config.format ?? DEFAULTS.format, path)
  const writer = await createRecordWriter({
    path,
    rotateEvery: config.rotateEvery,
    resumeFrom: context.resumeFrom,
    ...(format === 'json' ? { head: '[', tail: (entries: number) => (entries === 0 ? ']\n' : '\n]\n') } : {}),
  })
  context.logger.debug({ path, format, rotateEvery: config.rotateEvery }, 'llava sink opened')

  return {
    async write(record) {
      const line = JSON.stringify(toEntry(record))
      if (format === 'jsonl') await writer.write(`${line}\n`)
      else await writer.write((position) => `${position === 0 ? '\n' : ',\n'}${line}`)
    },
    flush: () => writer.flush(),
    checkpoint: () => writer.checkpoint(),
    async close() {
      await writer.close()
      context.logger.info({ path, entries: writer.records, files: writer.files().length }, 'llava export written')
    },
    outputs: () => writer.files(),
  }
}

function resolveFormat(format: 'auto' | 'json' | 'jsonl', path: string): 'json' | 'jsonl' {
  if (format !== 'auto') return format
  return extname(path).toLowerCase() === '.jsonl' ? 'jsonl' : 'json'
}
