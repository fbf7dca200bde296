import type { ResumePlan } from '../runtime/run-store.js'

export type { ResumePlan }

/** The plan as a few lines for the terminal. */
export function formatResumePlan(plan: ResumePlan): string {
  if (!plan.resumed) return ''
  const lines: string[] = []
  if (plan.rerun) {
    const what = [
      plan.rerun.from ? `from ${plan.rerun.from}` : 'failed nodes',
      plan.rerun.where ? `where ${plan.rerun.where}` : 'all items',
    ].join(', ')
    lines.push(`rerun (${what}): ${plan.rerun.selected} item${plan.rerun.selected === 1 ? '' : 's'} selected`)
  }
  if (plan.extended)
    lines.push(
      `extend: --limit ${plan.extended.from} -> ${plan.extended.to === null ? 'the whole input' : `--limit ${plan.extended.to}`}`,
    )
  lines.push(
    `resume: ${plan.kept} finished item${plan.kept === 1 ? '' : 's'} kept, ${plan.unfinished} to finish (finished nodes are reused)`,
  )
  for (const change of plan.changed) lines.push(`  changed: ${change.node} (${change.parts.join(', ')})`)
  if (plan.recompute.length > 0) {
    lines.push(
      `  recomputed: ${plan.recompute.map((entry) => `${entry.node} (${entry.items} item${entry.items === 1 ? '' : 's'})`).join(', ')}`,
    )
  }
  if (plan.reopenedAll)
    lines.push(
      `  the graph or a \`when\` changed: all ${plan.reopened} finished items are evaluated again (unchanged nodes are reused)`,
    )
  else if (plan.reopened > 0 && !plan.rerun)
    lines.push(`  ${plan.reopened} finished item${plan.reopened === 1 ? '' : 's'} opened again`)
  if (plan.rewrittenSinks.length > 0)
    lines.push(`  sinks written again from the journal: ${plan.rewrittenSinks.join(', ')}`)
  return `${lines.join('\n')}\n`
}
