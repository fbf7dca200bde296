import { createHash } from 'node:crypto'

/** A distributed run is named by its run directory: the same command (same `--out`) continues the same run. */
export function toRunId(runDir: string): string {
  return createHash('sha256').update(runDir).digest('hex').slice(0, 12)
}
