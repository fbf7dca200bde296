import type { RunReport } from '@dataflow/core'
import { wrap } from './wrap-text.js'

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

/** The end-of-run summary printed on the terminal; fits {@link SUMMARY_COLUMNS} columns unless `wide`. */
export function formatSummary(report: RunReport, extra: string[] = [], wide = false): string {
  const { outcomes } = report
  const nodes = Object.entries(report.nodes)
  const reused = nodes.some(([, node]) => (node.reused ?? 0) > 0)
  const lines = [
    wrap(
      `run "${report.pipeline.name}" ${report.status} in ${(report.wallMs / 1000).toFixed(1)} s -> ${report.runDir}`,
    ),
    `items ${report.input}: ok ${outcomes.ok}, rejected ${outcomes.rejected}, error ${outcomes.error}, interrupted ${outcomes.interrupted} (${report.itemsPerSecond} items/s)`,
    '',
    wide
      ? table(
          ['node', 'done', 'skipped', 'failed', 'rejected', 'error', 'not reached', 'reused', 'p50 ms', 'p95 ms'],
          nodes.map(([id, node]) => [
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
        )
      : table(
          [
            'node',
            'ok',
            'skipped',
            'rejected',
            'failed',
            'not reached',
            ...(reused ? ['reused'] : []),
            'p50 ms',
            'p95 ms',
          ],
          nodes.map(([id, node]) => [
            id.length > 24 ? `${id.slice(0, 23)}…` : id,
            node.done,
            node.skipped,
            node.rejected,
            node.failed + node.error,
            node.cancelled,
            ...(reused ? [node.reused ?? 0] : []),
            Math.round(node.latencyMs.p50),
            Math.round(node.latencyMs.p95),
          ]),
        ),
    wrap(
      'skipped: its `when` was false; failed: after its retries; not reached: the item ended (rejected, failed or stopped) before the node could run.',
    ),
  ]
  const sinks = Object.entries(report.sinks)
  if (sinks.length > 0) lines.push('', `sinks: ${sinks.map(([id, count]) => `${id} ${count}`).join(', ')}`)
  const codes = Object.entries(report.errorsByCode)
  if (codes.length > 0)
    lines.push(
      wrap(`errors by code: ${codes.map(([code, count]) => `${code} ${count}`).join(', ')} (details in errors.jsonl)`),
    )
  const per100 = costPer100Items(report)
  if (per100) lines.push(wrap(`cost per 100 items: ${per100}`))
  if (report.cache) {
    const { cache } = report
    lines.push(
      wrap(
        `request cache ${cache.mode} (${cache.path}): ${cache.hits} hits, ${cache.misses} misses, ${cache.writes} stored; saved ${cache.savedPromptTokens} prompt + ${cache.savedCompletionTokens} completion tokens`,
      ),
    )
  }
  if (report.abortReason) lines.push(wrap(`aborted: ${report.abortReason.message}`))
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
