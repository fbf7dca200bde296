import { describe, expect, it } from 'vitest'
import type { Diagnostic } from './diagnostic.js'
import { formatDiagnostics } from './format-diagnostics.js'

const source = 'version: 1\nname: t\n\tnodes: x\n'
const readSource = (file: string) => (file === '/work/p.yaml' ? source : undefined)

describe('formatDiagnostics', () => {
  it('renders position, code, message, the line with a caret and the hint', () => {
    const diagnostics: Diagnostic[] = [
      {
        file: '/work/p.yaml',
        line: 2,
        column: 7,
        code: 'DATAFLOW_CONFIG_INVALID',
        message: 'bad name',
        hint: 'rename it',
      },
    ]
    expect(formatDiagnostics(diagnostics, { cwd: '/work', readSource })).toBe(
      [
        'p.yaml:2:7  DATAFLOW_CONFIG_INVALID  bad name',
        '  1 | version: 1',
        '> 2 | name: t',
        '    |       ^',
        '  hint: rename it',
        '',
        '1 problem found',
        '',
      ].join('\n'),
    )
  })

  it('keeps tabs in the caret line so the caret lines up', () => {
    const text = formatDiagnostics(
      [{ file: '/work/p.yaml', line: 3, column: 2, code: 'DATAFLOW_YAML_SYNTAX', message: 'tab' }],
      { cwd: '/work', readSource },
    )
    expect(text).toContain('> 3 | \tnodes: x\n    | \t^\n')
  })

  it('sorts, prints problems without a position first, and shows files outside cwd as absolute', () => {
    const text = formatDiagnostics(
      [
        { file: '/work/p.yaml', line: 2, column: 1, code: 'DATAFLOW_CONFIG_INVALID', message: 'second' },
        { file: '/elsewhere/q.yaml', line: 1, column: 1, code: 'DATAFLOW_CONFIG_INVALID', message: 'unreadable' },
        { file: 'command line', line: 0, column: 0, code: 'DATAFLOW_USAGE', message: '--set x: missing "="' },
      ],
      { cwd: '/work', readSource },
    )
    const heads = text.split('\n').filter((line) => /DATAFLOW_/.test(line))
    expect(heads).toEqual([
      'command line  DATAFLOW_USAGE  --set x: missing "="',
      '/elsewhere/q.yaml:1:1  DATAFLOW_CONFIG_INVALID  unreadable',
      'p.yaml:2:1  DATAFLOW_CONFIG_INVALID  second',
    ])
    expect(text).toContain('3 problems found')
  })
})
