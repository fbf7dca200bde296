import { describe, expect, it } from 'vitest'
import { interpolate, toPlainScalar } from './interpolate.js'

const env = { HOST: 'gpu-1', PORT: '8000', EMPTY: '' }

describe('interpolate', () => {
  it('replaces ${VAR} with the variable', () => {
    expect(interpolate('http://${HOST}:${PORT}/v1', env)).toEqual({
      ok: true,
      value: 'http://gpu-1:8000/v1',
      changed: true,
    })
  })

  it('uses the default when the variable is unset or empty', () => {
    expect(interpolate('${MISSING:-fallback}', env)).toMatchObject({ value: 'fallback' })
    expect(interpolate('${EMPTY:-fallback}', env)).toMatchObject({ value: 'fallback' })
    expect(interpolate('${HOST:-fallback}', env)).toMatchObject({ value: 'gpu-1' })
    expect(interpolate('${MISSING:-}', env)).toMatchObject({ value: '' })
    expect(interpolate('${MISSING:-http://a:1/v1}', env)).toMatchObject({ value: 'http://a:1/v1' })
  })

  it('keeps an empty variable without a default', () => {
    expect(interpolate('[${EMPTY}]', env)).toMatchObject({ ok: true, value: '[]' })
  })

  it('turns $${ into a literal ${', () => {
    expect(interpolate('cost: $${PRICE} and ${PORT}', env)).toEqual({
      ok: true,
      value: 'cost: ${PRICE} and 8000',
      changed: true,
    })
    expect(interpolate('$${MISSING}', env)).toEqual({ ok: true, value: '${MISSING}', changed: true })
  })

  it('leaves text without references alone', () => {
    expect(interpolate('no $ references {here}', env)).toEqual({
      ok: true,
      value: 'no $ references {here}',
      changed: false,
    })
  })

  it('reports every missing variable with its offset', () => {
    expect(interpolate('a ${ONE} b ${PORT} c ${TWO}', env)).toEqual({
      ok: false,
      problems: [
        { kind: 'missing', offset: 2, name: 'ONE', message: 'environment variable ONE is not set' },
        { kind: 'missing', offset: 21, name: 'TWO', message: 'environment variable TWO is not set' },
      ],
    })
  })

  it('reports malformed references', () => {
    const result = interpolate('x ${not valid} ${1A} ${OPEN', env)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems.map((problem) => [problem.kind, problem.offset])).toEqual([
      ['syntax', 2],
      ['syntax', 15],
      ['syntax', 21],
    ])
    expect(result.problems[2]!.message).toMatch(/not closed/)
  })

  it('does not read inherited properties of the environment', () => {
    expect(interpolate('${toString}', {})).toMatchObject({ ok: false })
  })
})

describe('toPlainScalar', () => {
  it('reads numbers, booleans and null like YAML does', () => {
    expect(toPlainScalar('64')).toBe(64)
    expect(toPlainScalar('-1.5e3')).toBe(-1500)
    expect(toPlainScalar('0.05')).toBe(0.05)
    expect(toPlainScalar('true')).toBe(true)
    expect(toPlainScalar('False')).toBe(false)
    expect(toPlainScalar('~')).toBe(null)
    expect(toPlainScalar('http://x:1')).toBe('http://x:1')
    expect(toPlainScalar('')).toBe('')
    expect(toPlainScalar('1.2.3')).toBe('1.2.3')
  })
})
