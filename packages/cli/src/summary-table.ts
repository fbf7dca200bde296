import type { RunReport } from '@dataflow/core'

/** Left-aligned first column, right-aligned others. */
export function table(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((row) => row.map(String))]
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)))
  return cells
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
        .join('  '),
    )
    .join('\n')
}

/** The end-of-run summary printed on the terminal. */
export function formatSummary(report: RunReport, extra: string[] = []): string {
  const { outcomes } = report
  const lines = [
    `run "${report.pipeline.name}" ${report.status} in ${(report.wallMs / 1000).toFixed(1)} s -> ${report.runDir}`,
    `items ${report.input}: ok ${outcomes.ok}, rejected ${outcomes.rejected}, error ${outcomes.error}, interrupted ${outcomes.interrupted} (${report.itemsPerSecond} items/s)`,
    '',
    table(
      ['node', 'done', 'skipped', 'failed', 'rejected', 'error', 'cancelled', 'reused', 'p50 ms', 'p95 ms'],
      Object.entries(report.nodes).map(([id, node]) => [
        id,
        node.done,
        node.skipped,
        node.failed,
        node.rejected,
        node.error,
        node.cancelled,
        node.reused ?? 0,
        Math.round(node.latencyMs.p50),
        Math.round(node.latencyMs.p95),
      ]),
    ),
  ]
  const sinks = Object.entries(report.sinks)
  if (sinks.length > 0) lines.push('', `sinks: ${sinks.map(([id, count]) => `${id} ${count}`).join(', ')}`)
  const codes = Object.entries(report.errorsByCode)
  if (codes.length > 0)
    lines.push(
      `errors by code: ${codes.map(([code, count]) => `${code} ${count}`).join(', ')} (details in errors.jsonl)`,
    )
  const per100 = costPer100Items(report)
  if (per100) lines.push(`cost per 100 items: ${per100}`)
  if (report.cache) {
    const { cache } = report
    lines.push(
      `request cache ${cache.mode} (${cache.path}): ${cache.hits} hits, ${cache.misses} misses, ${cache.writes} stored; saved ${cache.savedPromptTokens} prompt + ${cache.savedCompletionTokens} completion tokens`,
    )
  }
  if (report.abortReason) lines.push(`aborted: ${report.abortReason.message}`)
  lines.push(...extra)
  return `${lines.join('\n')}\n`
}

/** The paper reports cost per 100 samples: both ways, per currency. */
function costPer100Items(report: RunReport): string | undefined {
  const cost = report.inference.cost
  if (report.input === 0) return undefined
  const format = (label: string, amounts: Record<string, number>) =>
    Object.entries(amounts).map(
      ([currency, amount]) => `${((amount / report.input) * 100).toFixed(4)} ${currency} ${label}`,
    )
  const parts = [...format('at token prices', cost.byTokens), ...format('as GPU time', cost.byGpu)]
  return parts.length > 0 ? parts.join(', ') : undefined
}
