import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { inspectRun, RunJournal } from '@dataflow/core'
import type { Simulator } from '@dataflow/inference-sim'
import { readJsonl, REPO } from '../support.js'

export const CAPFLOW = join(REPO, 'pipelines/capflow.yaml')

/** Completed 200 answers and repeats (answers beyond the first per request content) over the given simulators. */
export function answered(...sims: Simulator[]): { completed: number; repeats: number } {
  let completed = 0
  let repeats = 0
  for (const sim of sims) {
    for (const count of Object.values(sim.stats().completedByContent)) {
      completed += count
      repeats += count - 1
    }
  }
  return { completed, repeats }
}

/** Model answers recorded in committed node results of a run directory's journal (what a resume will not ask again). */
export function journaledAnswers(runDir: string): number {
  // A session killed during start-up (a loaded machine) may not have created the run directory yet.
  if (!existsSync(RunJournal.pathIn(runDir))) return 0
  const journal = RunJournal.openReadOnly(RunJournal.pathIn(runDir))
  try {
    return inspectRun(journal).nodes.reduce((sum, node) => sum + node.requests, 0)
  } finally {
    journal.close()
  }
}

/** Drops what differs between two runs of the same items: time spent per node. */
export function withoutTimings(record: Record<string, unknown>): Record<string, unknown> {
  const metrics = record['metrics']
  if (typeof metrics !== 'object' || metrics === null) return record
  return {
    ...record,
    metrics: Object.fromEntries(
      Object.entries(metrics as Record<string, Record<string, unknown>>).map(([node, value]) => {
        const { ms: _ms, ...rest } = value
        return [node, rest]
      }),
    ),
  }
}

/** The run's sinks, each as records sorted by id (timings dropped), with the ids as written (to find duplicates). */
export async function readSinks(
  runDir: string,
): Promise<Record<string, { ids: string[]; records: Array<Record<string, unknown>> }>> {
  const sinks: Record<string, Array<Record<string, unknown>>> = {
    captions: await readJsonl(join(runDir, 'captions.jsonl')),
    rejected: await readJsonl(join(runDir, 'rejected.jsonl')),
    errors: await readJsonl(join(runDir, 'errors.jsonl')),
    // A JSON array: it must parse, i.e. the resumed file is complete and well formed.
    training: JSON.parse(await readFile(join(runDir, 'train.json'), 'utf8')) as Array<Record<string, unknown>>,
  }
  return Object.fromEntries(
    Object.entries(sinks).map(([name, records]) => {
      const ids = records.map((record) => String(record['id']))
      const sorted = records.map(withoutTimings).sort((a, b) => String(a['id']).localeCompare(String(b['id'])))
      return [name, { ids, records: sorted }]
    }),
  )
}

/** A small deterministic pseudo-random generator (mulberry32), so a failing kill schedule can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
