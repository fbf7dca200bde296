import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'

/** The rows of a spool file (one JSON object per line), in groups of `size`. */
export async function* readSpool(path: string, size: number): AsyncGenerator<Array<Record<string, unknown>>> {
  let group: Array<Record<string, unknown>> = []
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })
  for await (const line of lines) {
    if (line === '') continue
    group.push(JSON.parse(line) as Record<string, unknown>)
    if (group.length >= size) {
      yield group
      group = []
    }
  }
  if (group.length > 0) yield group
}
