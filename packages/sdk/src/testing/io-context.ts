import { resolve } from 'node:path'
import { pino } from 'pino'
import type { Shard, SourceContext } from '../node-definition.js'

/**
 * The context a source or sink gets, for tests: input paths resolve against `dir`, outputs land in
 * `dir/run`, the logger is silent.
 */
export function createIoContext(dir: string, shard?: Shard): SourceContext {
  const runDir = resolve(dir, 'run')
  return {
    logger: pino({ level: 'silent' }),
    signal: new AbortController().signal,
    resolvePath: (path) => resolve(dir, path),
    resolveOutput: (path) => resolve(runDir, path),
    runDir,
    shard,
  }
}
