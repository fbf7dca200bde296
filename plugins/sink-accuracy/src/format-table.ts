import type { AccuracyReport } from './accuracy-report.js'

const percent = (value: number | null) => (value === null ? '-' : `${(value * 100).toFixed(1)}%`)

/** A short plain-text table: one line per benchmark, then the overall line. */
export function formatTable(report: AccuracyReport): string {
  const rows: string[][] = [['benchmark', 'total', 'correct', 'accuracy', 'unanswered', 'errors']]
  for (const [name, score] of Object.entries(report.benchmarks)) {
    rows.push([
      name,
      String(score.total),
      String(score.correct),
      percent(score.accuracy),
      String(score.unanswered),
      String(score.errors),
    ])
  }
  const { overall } = report
  rows.push([
    'overall',
    String(overall.total),
    String(overall.correct),
    percent(overall.accuracy),
    String(overall.unanswered),
    String(overall.errors),
  ])
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
  const lines = rows.map((row) =>
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  '),
  )
  const mean =
    Object.keys(report.benchmarks).length > 1 ? [`mean of benchmarks: ${percent(overall.benchmarkMean)}`] : []
  return [...lines, ...mean].join('\n')
}
