import type { ItemTrace, RunInspection } from '@dataflow/core'
import { table } from './summary-table.js'

const indent = (text: string, by = '    ') =>
  text
    .split('\n')
    .map((line) => by + line)
    .join('\n')

/** `dataflow inspect <dir>` as text. */
export function formatInspection(run: RunInspection, dir: string): string {
  const { items } = run
  const lines = [
    `run of "${run.pipeline}" in ${dir} (started ${run.createdAt}, pipeline ${run.pipelineFile})`,
    `items ${items.total}: ok ${items.ok}, rejected ${items.rejected}, error ${items.error}, interrupted ${items.interrupted}, unfinished ${items.unfinished}`,
    '',
    table(
      [
        'node',
        'done',
        'rejected',
        'failed',
        'not run',
        'mean ms',
        'requests',
        'cached',
        'prompt tok',
        'completion tok',
      ],
      run.nodes.map((node) => [
        node.node,
        node.done,
        node.rejected,
        node.failed,
        node.notRun,
        node.meanMs,
        node.requests,
        node.cached,
        node.promptTokens,
        node.completionTokens,
      ]),
    ),
  ]
  if (run.errors.length > 0) {
    lines.push('', 'errors by code:')
    for (const group of run.errors) {
      lines.push(`  ${group.code}: ${group.count} item${group.count === 1 ? '' : 's'}`)
      for (const example of group.examples) lines.push(`    ${example.id} (${example.node}): ${example.message}`)
    }
  }
  if (run.nodeFailures.length > 0) {
    lines.push('', 'node failures the items went on without (onError: continue):')
    for (const group of run.nodeFailures) {
      lines.push(`  ${group.node} ${group.code}: ${group.count}`)
      for (const example of group.examples) lines.push(`    ${example.id}: ${example.message}`)
    }
  }
  if (run.errors.length > 0 || run.nodeFailures.length > 0)
    lines.push('', `one item in full: dataflow inspect ${dir} --item <id>`)
  return `${lines.join('\n')}\n`
}

/** `dataflow inspect <dir> --item <id>` as text. */
export function formatTrace(trace: ItemTrace): string {
  const lines = [
    `item ${trace.id} (input #${trace.seq}): ${trace.outcome}${trace.finishedAt ? ` at ${trace.finishedAt}` : ''}`,
  ]
  if (trace.rejection)
    lines.push(
      `rejected by ${trace.rejection.node}: ${trace.rejection.reason}${trace.rejection.details ? ` ${JSON.stringify(trace.rejection.details)}` : ''}`,
    )
  if (trace.error)
    lines.push(
      `failed at ${trace.error.node} after ${trace.error.attempts} attempt${trace.error.attempts === 1 ? '' : 's'}: ${trace.error.error.code}: ${trace.error.error.message}`,
    )
  for (const failure of trace.failures)
    lines.push(`went on without ${failure.node}: ${failure.error.code}: ${failure.error.message}`)
  lines.push('', 'item:', indent(JSON.stringify(trace.item, null, 2)))
  for (const node of trace.nodes) {
    const metrics = node.metrics?.requests
      ? `, ${node.metrics.requests} request${node.metrics.requests === 1 ? '' : 's'}${node.metrics.cached ? ` (${node.metrics.cached} cached)` : ''}, ${node.metrics.promptTokens ?? 0}+${node.metrics.completionTokens ?? 0} tokens`
      : ''
    lines.push(
      '',
      `${node.node}: ${node.status}${node.stale ? ' (stale: the node changed since)' : ''}, ${node.ms} ms, ${node.attempts} attempt${node.attempts === 1 ? '' : 's'}${metrics}, started ${node.startedAt}`,
    )
    if (node.rejection)
      lines.push(
        `  rejected: ${node.rejection.reason}${node.rejection.details ? ` ${JSON.stringify(node.rejection.details)}` : ''}`,
      )
    if (node.error) lines.push(`  error: ${node.error.code}: ${node.error.message}`)
    if (node.output !== undefined) lines.push(indent(JSON.stringify(node.output, null, 2)))
  }
  const ran = new Set(trace.nodes.map((node) => node.node))
  if (ran.size > 0) lines.push('', 'nodes not listed were skipped by their `when` or not reached.')
  return `${lines.join('\n')}\n`
}
