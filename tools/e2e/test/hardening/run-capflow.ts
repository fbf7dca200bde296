import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runCli, type CliResult } from '../run-cli.js'
import { readJsonl, REPO } from '../support.js'

export const CAPFLOW = join(REPO, 'pipelines/capflow.yaml')
export const SAMPLE = join(REPO, 'data/sample')
export const BAD_MEDIA = join(REPO, 'data/fixtures/bad-media')

export interface CapflowRun {
  /** Run directory (`--out`). */
  out: string
  metafile: string
  /** VLM_BASE_URL, LLM_BASE_URL and any other variables. */
  env: NodeJS.ProcessEnv
  /** Folder of the request cache: one per test, so no answer comes from another run. */
  cacheDir: string
  /** Extra `--set path=value` overrides. */
  set?: string[]
  pipeline?: string
  /** Extra command-line arguments; without any, the run is `--quiet`. */
  args?: string[]
}

/** Runs CapFlow through the built CLI as a user would; item errors never fail the exit code here. */
export function runCapflow(run: CapflowRun): Promise<CliResult> {
  const args = [
    'run',
    run.pipeline ?? CAPFLOW,
    '--out',
    run.out,
    ...(run.args ?? ['--quiet']),
    '--max-error-rate',
    '1',
    '--set',
    `source.with.metafile=${run.metafile}`,
    ...(run.set ?? []).flatMap((override) => ['--set', override]),
  ]
  return runCli(args, { DATAFLOW_CACHE_DIR: run.cacheDir, ...run.env })
}

export interface ErrorRecord {
  id: string
  node: string
  error: { code: string; message: string; hint?: string; details?: Record<string, unknown> }
}

export interface RunOutcomes {
  kept: Record<string, unknown>[]
  rejected: Record<string, unknown>[]
  errors: ErrorRecord[]
  /** Every id written to captions, rejected and errors, in that order (duplicates kept). */
  ids: string[]
}

/** Reads CapFlow's three per-item outputs: captions.jsonl (ok), rejected.jsonl, errors.jsonl. */
export async function readOutcomes(out: string): Promise<RunOutcomes> {
  const kept = await readJsonl(join(out, 'captions.jsonl'))
  const rejected = await readJsonl(join(out, 'rejected.jsonl'))
  const errors = await readJsonl<ErrorRecord>(join(out, 'errors.jsonl'))
  return {
    kept,
    rejected,
    errors,
    ids: [...kept, ...rejected, ...errors].map((record) => String(record['id' as keyof typeof record])),
  }
}

/** Every regular file under a folder, recursively (absolute paths). */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name))
}

/** Files (and their byte offsets) containing `needle`, read as raw bytes so binary files (SQLite) count too. */
export async function filesContaining(files: string[], needle: string): Promise<string[]> {
  const found: string[] = []
  for (const file of files) {
    const bytes = await readFile(file)
    if (bytes.includes(needle) || bytes.includes(Buffer.from(needle, 'utf16le'))) found.push(file)
  }
  return found
}
