import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { mergeRuns } from '@dataflow/core'
import { MERGE_FLAGS } from '../flags.js'
import { formatMerged } from '../format-merged.js'
import type { Command } from './command.js'

export const mergeCommand: Command<typeof MERGE_FLAGS> = {
  name: 'merge',
  usage: 'dataflow merge <run dir> [<run dir> ...] [--out merged-report.json] [--json]',
  summary: 'Combine the reports of several runs (shards, machines) into one and list all their output files.',
  flags: MERGE_FLAGS,
  positionals: 1,
  variadic: true,
  async run({ flags, positionals, io }) {
    const merged = mergeRuns(positionals)
    const out = resolve(flags.out ?? 'merged-report.json')
    await writeFile(out, `${JSON.stringify(merged, null, 2)}\n`)
    io.stdout.write(
      flags.json ? `${JSON.stringify(merged, null, 2)}\n` : `${formatMerged(merged)}\nwritten to ${out}\n`,
    )
    return 0
  },
}
