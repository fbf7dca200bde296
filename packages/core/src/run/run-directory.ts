import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'

/** The files every run directory holds. */
export interface RunDirectory {
  path: string
  /** Full JSON log (pino). */
  log: string
  /** One line per item that ended as an error. */
  errors: string
  /** Machine-readable summary. */
  report: string
  /** The effective pipeline after interpolation and --set (no secrets: keys are env var names). */
  pipeline: string
  /** The run journal (SQLite): what resume, rerun and inspect read. */
  journal: string
}

/** `runs/<name>-<YYYYMMDD-HHMMSS>` under the working directory. */
export function defaultRunDirectory(name: string, now: Date, cwd = process.cwd()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return resolve(cwd, 'runs', `${name}-${stamp}`)
}

export async function prepareRunDirectory(path: string): Promise<RunDirectory> {
  const absolute = resolve(path)
  await mkdir(absolute, { recursive: true })
  return {
    path: absolute,
    log: join(absolute, 'run.log'),
    errors: join(absolute, 'errors.jsonl'),
    report: join(absolute, 'report.json'),
    pipeline: join(absolute, 'pipeline.json'),
    journal: join(absolute, 'journal.sqlite'),
  }
}
