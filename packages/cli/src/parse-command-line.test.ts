import { describe, expect, it } from 'vitest'
import { RUN_FLAGS, formatFlags } from './flags.js'
import { parseCommandLine, toNumber, toShard } from './parse-command-line.js'

describe('command line', () => {
  it('parses the run flags, repeated --set included', () => {
    const { flags, positionals } = parseCommandLine(
      ['p.yaml', '--limit', '10', '--set', 'a=1', '--set', 'b=2', '-q'],
      RUN_FLAGS,
    )
    expect(positionals).toEqual(['p.yaml'])
    expect(flags.limit).toBe('10')
    expect(flags.set).toEqual(['a=1', 'b=2'])
    expect(flags.quiet).toBe(true)
  })

  it('turns unknown flags into usage errors', () => {
    expect(() => parseCommandLine(['--nope'], RUN_FLAGS)).toThrow(expect.objectContaining({ code: 'DATAFLOW_USAGE' }))
  })

  it('checks numbers and shards with messages that say what is expected', () => {
    expect(toNumber('0.5', 'max-error-rate', { min: 0, max: 1 })).toBe(0.5)
    expect(() => toNumber('1.5', 'max-error-rate', { min: 0, max: 1 })).toThrow(
      '--max-error-rate must be a number >= 0 and <= 1, got "1.5"',
    )
    expect(() => toNumber('2.5', 'limit', { integer: true })).toThrow('--limit must be an integer')
    expect(toShard('2/8')).toEqual({ index: 2, count: 8 })
    expect(() => toShard('8/8')).toThrow(/0 <= i < n/)
    expect(() => toShard('a/b')).toThrow(/i\/n/)
  })

  it('documents every flag in help', () => {
    const help = formatFlags(RUN_FLAGS)
    for (const name of Object.keys(RUN_FLAGS)) expect(help).toContain(`--${name}`)
  })
})
