import type { MergedReport } from '@dataflow/core'
import { table } from './summary-table.js'

/** `dataflow merge` as text: totals, one line per run, output files per sink, notes. */
export function formatMerged(merged: MergedReport): string {
  const { outcomes } = merged
  const lines = [
    `${merged.runs.length} run${merged.runs.length === 1 ? '' : 's'} of "${merged.pipeline}" in ${(merged.wallMs / 1000).toFixed(1)} s`,
    `items ${merged.input}${merged.expected === undefined ? '' : ` of ${merged.expected}`}: ok ${outcomes.ok}, rejected ${outcomes.rejected}, error ${outcomes.error}, interrupted ${outcomes.interrupted} (${merged.itemsPerSecond} items/s)`,
    '',
    table(
      ['run', 'shard', 'status', 'items', 'ok', 'rejected', 'error'],
      merged.runs.map((run) => [
        run.runDir,
        run.shard ?? '-',
        run.status,
        run.input,
        run.outcomes.ok,
        run.outcomes.rejected,
        run.outcomes.error,
      ]),
    ),
  ]
  const money = (totals: Record<string, number>) =>
    Object.entries(totals)
      .map(([currency, amount]) => `${amount} ${currency}`)
      .join(', ') || '-'
  lines.push('', `cost at token prices: ${money(merged.cost.byTokens)}; as GPU time: ${money(merged.cost.byGpu)}`)
  for (const [sink, files] of Object.entries(merged.outputs)) {
    lines.push(
      '',
      `${sink} (${files.length} file${files.length === 1 ? '' : 's'}):`,
      ...files.map((file) => `  ${file}`),
    )
  }
  if (merged.notes.length > 0) lines.push('', 'notes:', ...merged.notes.map((note) => `  - ${note}`))
  return `${lines.join('\n')}\n`
}
