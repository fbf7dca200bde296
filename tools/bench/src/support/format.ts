import type { ResultTable, ScenarioReport } from '../scenario.js'

/** Rounds for display: at most `digits` decimals, no trailing zeros beyond what matters. */
export function num(value: number | undefined, digits = 2): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a'
  return Number(value.toFixed(digits)).toLocaleString('en-US', { maximumFractionDigits: digits })
}

export function pct(value: number | undefined, digits = 1): string {
  return value === undefined || !Number.isFinite(value) ? 'n/a' : `${(value * 100).toFixed(digits)}%`
}

export function markdownTable(table: ResultTable): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|')
  const lines = [
    `| ${table.headers.map(escape).join(' | ')} |`,
    `| ${table.headers.map(() => '---').join(' | ')} |`,
    ...table.rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ]
  return `${table.caption === undefined ? '' : `${table.caption}\n\n`}${lines.join('\n')}`
}

export function consoleTable(table: ResultTable): string {
  const widths = table.headers.map((header, column) =>
    Math.max(header.length, ...table.rows.map((row) => (row[column] ?? '').length)),
  )
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')
  return [
    ...(table.caption === undefined ? [] : [table.caption]),
    line(table.headers),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...table.rows.map(line),
  ].join('\n')
}

const mark = (pass: boolean | undefined) => (pass === undefined ? '–' : pass ? 'met' : '**missed**')

/** The generated part of a scenario's BENCHMARKS.md section. */
export function reportMarkdown(
  report: ScenarioReport,
  header: { date: string; machine: string; command: string },
): string {
  const parts = [
    `_Generated ${header.date} by \`${header.command}\` on ${header.machine}._`,
    `Parameters: ${report.parameters.map(([name, value]) => `${name} ${value}`).join('; ')}.`,
    ...report.tables.map(markdownTable),
  ]
  if (report.checks.length > 0) {
    parts.push(
      markdownTable({
        headers: ['Target', 'Measured', 'Result'],
        rows: report.checks.map((check) => [
          check.target,
          check.measured + (check.note === undefined ? '' : ` (${check.note})`),
          mark(check.pass),
        ]),
      }),
    )
  }
  if (report.notes.length > 0) parts.push(report.notes.map((note) => `- ${note}`).join('\n'))
  return parts.join('\n\n')
}

export function reportConsole(title: string, report: ScenarioReport): string {
  const parts = [
    `== ${title}`,
    report.parameters.map(([name, value]) => `${name}: ${value}`).join('; '),
    ...report.tables.map(consoleTable),
  ]
  if (report.checks.length > 0) {
    parts.push(
      consoleTable({
        headers: ['target', 'measured', 'result'],
        rows: report.checks.map((check) => [
          check.target,
          check.measured + (check.note === undefined ? '' : ` (${check.note})`),
          check.pass === undefined ? '-' : check.pass ? 'met' : 'MISSED',
        ]),
      }),
    )
  }
  if (report.notes.length > 0) parts.push(report.notes.map((note) => `* ${note}`).join('\n'))
  return parts.join('\n\n')
}
