import { DataflowError } from '@dataflow/sdk'
import { describe, expect, it } from 'vitest'
import { compileExpression, compilePath } from './compile-expression.js'
import { MAX_EXPRESSION_LENGTH } from './tokenize.js'

const scope = {
  item: { id: 'a1', task: 'document', tags: ['ui', 'code'], width: 640, nested: { deep: { value: 3 } }, empty: '' },
  route: { domain: 'document', confidence: 2, agents: ['ocr', 'reasoning'] },
  outcome: 'ok',
  reason: null,
}

const run = (text: string, values: Record<string, unknown> = scope) => compileExpression(text).evaluate(values)

/** The 0-based offset carried by the error thrown for `text`. */
function offsetOf(text: string): number {
  try {
    compileExpression(text)
  } catch (error) {
    expect(error).toBeInstanceOf(DataflowError)
    expect((error as DataflowError).code).toBe('DATAFLOW_EXPRESSION_INVALID')
    return (error as DataflowError).details!['offset'] as number
  }
  throw new Error(`"${text}" compiled`)
}

describe('literals and paths', () => {
  it('evaluates literals', () => {
    expect(run("'single'")).toBe('single')
    expect(run('"double"')).toBe('double')
    expect(run(`'it\\'s'`)).toBe("it's")
    expect(run('"a\\nb"')).toBe('a\nb')
    expect(run('42')).toBe(42)
    expect(run('-1.5e2')).toBe(-150)
    expect(run('true')).toBe(true)
    expect(run('false')).toBe(false)
    expect(run('null')).toBe(null)
    expect(run("[1, 'a', [true], ]")).toEqual([1, 'a', [true]])
    expect(run('[]')).toEqual([])
  })

  it('reads paths, arrays by index, and gives undefined for missing ones', () => {
    expect(run('route.domain')).toBe('document')
    expect(run('item.nested.deep.value')).toBe(3)
    expect(run('item.tags.1')).toBe('code')
    expect(run('item.missing')).toBeUndefined()
    expect(run('item.missing.deeper')).toBeUndefined()
    expect(run('nobody.field')).toBeUndefined()
    expect(run('item.width.toFixed')).toBeUndefined()
    expect(run('item.tags.length')).toBe(2)
  })

  it('accepts hyphens and digits inside segments', () => {
    expect(run('domain-agents.text', { 'domain-agents': { text: 'x' } })).toBe('x')
    expect(run('a_1.b-2.3c', { a_1: { 'b-2': { '3c': true } } })).toBe(true)
  })

  it('lists the paths read, once each, with their offsets', () => {
    const expression = compileExpression("route.domain in ['ui'] and (item.task == null or route.domain == 'x')")
    expect(expression.paths).toEqual(['route.domain', 'item.task'])
    expect(expression.references.map((reference) => [reference.path, reference.offset])).toEqual([
      ['route.domain', 0],
      ['item.task', 28],
      ['route.domain', 49],
    ])
    expect(expression.source).toBe("route.domain in ['ui'] and (item.task == null or route.domain == 'x')")
  })
})

describe('operators', () => {
  it('compares with == and != strictly, deep for arrays and objects', () => {
    expect(run("route.domain == 'document'")).toBe(true)
    expect(run("route.domain != 'document'")).toBe(false)
    expect(run("item.width == '640'")).toBe(false)
    expect(run('item.width == 640')).toBe(true)
    expect(run("route.agents == ['ocr', 'reasoning']")).toBe(true)
    expect(run("route.agents == ['ocr']")).toBe(false)
    expect(run('item.nested == item.nested')).toBe(true)
    expect(run('item.nested.deep == item.tags')).toBe(false)
    expect(run('0 == false')).toBe(false)
  })

  it('treats missing values as null', () => {
    expect(run('item.missing == null')).toBe(true)
    expect(run('item.missing != null')).toBe(false)
    expect(run('reason == null')).toBe(true)
    expect(run('item.task == null')).toBe(false)
    expect(run('item.missing == false')).toBe(false)
    expect(run('item.missing == item.other')).toBe(true)
  })

  it('orders numbers and strings, and nothing else', () => {
    expect(run('route.confidence < 3')).toBe(true)
    expect(run('route.confidence <= 2')).toBe(true)
    expect(run('route.confidence > 2')).toBe(false)
    expect(run('route.confidence >= 2')).toBe(true)
    expect(run("'abc' < 'abd'")).toBe(true)
    expect(run("'10' < 9")).toBe(false)
    expect(run("'10' >= 9")).toBe(false)
    expect(run('item.missing < 1')).toBe(false)
    expect(run('item.missing >= 1')).toBe(false)
    expect(run('null <= 0')).toBe(false)
  })

  it('tests membership in arrays and substrings in strings', () => {
    expect(run("route.domain in ['document', 'ui']")).toBe(true)
    expect(run("route.domain not in ['document', 'ui']")).toBe(false)
    expect(run("'ui' in item.tags")).toBe(true)
    expect(run("'video' in item.tags")).toBe(false)
    expect(run("'video' not in item.tags")).toBe(true)
    expect(run("'cum' in route.domain")).toBe(true)
    expect(run("'x' in item.missing")).toBe(false)
    expect(run("'x' not in item.missing")).toBe(true)
    expect(run('2 in route.domain')).toBe(false)
    expect(run('[1] in [[1], [2]]')).toBe(true)
    expect(run("'id' in item")).toBe(false)
  })

  it('combines with && || ! and and or not, returning booleans', () => {
    expect(run("route.domain == 'document' && item.width > 100")).toBe(true)
    expect(run("route.domain == 'ui' || item.width > 100")).toBe(true)
    expect(run("route.domain == 'ui' or item.width < 100")).toBe(false)
    expect(run("route.domain == 'document' and item.width < 100")).toBe(false)
    expect(run('!item.missing')).toBe(true)
    expect(run('not item.task')).toBe(false)
    expect(run('!!item.task')).toBe(true)
    expect(run('item.task && item.width')).toBe(true)
  })

  it('applies truthiness: false 0 empty string null missing are false, [] and {} are true', () => {
    const test = (text: string) => compileExpression(text).test(scope)
    expect(test('item.empty')).toBe(false)
    expect(test('item.missing')).toBe(false)
    expect(test('reason')).toBe(false)
    expect(test('0')).toBe(false)
    expect(test('[]')).toBe(true)
    expect(test('item.nested')).toBe(true)
    expect(test('item.task')).toBe(true)
  })
})

describe('precedence', () => {
  it('binds and tighter than or', () => {
    expect(run('true or true and false')).toBe(true)
    expect(run('(true or true) and false')).toBe(false)
    expect(run('false and false or true')).toBe(true)
    expect(run('false && (false || true)')).toBe(false)
  })

  it('binds not looser than comparisons but tighter than and', () => {
    expect(run("not route.domain == 'ui'")).toBe(true)
    expect(run("!route.domain == 'document'")).toBe(false)
    expect(run('not false and false')).toBe(false)
    expect(run('not (false and false)')).toBe(true)
    expect(run("not route.domain in ['ui']")).toBe(true)
  })

  it('refuses chained comparisons', () => {
    expect(offsetOf('1 < 2 < 3')).toBe(6)
  })
})

describe('errors carry the offset of the problem', () => {
  it.each([
    ['', 0],
    ['route.domain = "x"', 13],
    ['route.domain === "x"', 13],
    ['a & b', 2],
    ['a | b', 2],
    ["route.domain == 'open", 16],
    ['(a == 1', 7],
    ['a == 1)', 6],
    ['[1, 2', 5],
    ['[1 2]', 3],
    ['a ==', 4],
    ['a b', 2],
    ['route.', 6],
    ['.route', 0],
    ['a..b', 2],
    ['x == 12abc', 7],
    ['x == #', 5],
    ["'a\\q'", 2],
    ['a not b', 2],
    ['in == 1', 0],
    ['and.x', 0],
    ['-', 0],
    ['a - b', 2],
  ])('%j fails at offset %i', (text, offset) => {
    expect(offsetOf(text)).toBe(offset)
  })

  it('says what to do', () => {
    expect(() => compileExpression("route.domain = 'x'")).toThrow(/unexpected "=".*column 14/)
    try {
      compileExpression("route.domain = 'x'")
    } catch (error) {
      expect((error as DataflowError).hint).toBe('write == to compare')
      expect((error as DataflowError).details).toMatchObject({ offset: 13, column: 14 })
    }
  })
})

describe('hostile input', () => {
  it.each([
    ['__proto__.x', 0],
    ['item.__proto__', 5],
    ['constructor.constructor', 0],
    ['item.constructor.name', 5],
    ['route.prototype', 6],
    ["item.task == 'x' or item.__proto__.polluted", 25],
  ])('rejects %j at offset %i', (text, offset) => {
    expect(offsetOf(text)).toBe(offset)
  })

  it('never reads inherited properties', () => {
    const inherited = Object.create({ secret: 'inherited' }) as Record<string, unknown>
    inherited['own'] = 1
    expect(run('x.secret', { x: inherited })).toBeUndefined()
    expect(run('x.own', { x: inherited })).toBe(1)
    expect(run('toString', {})).toBeUndefined()
    expect(run('hasOwnProperty', {})).toBeUndefined()
    expect(run('x.toString', { x: {} })).toBeUndefined()
    expect(run('x.valueOf', { x: 'text' })).toBeUndefined()
  })

  it('evaluates with a null-prototype scope', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: { b: 1 } })
    expect(run('a.b == 1', bare)).toBe(true)
  })

  it('refuses inputs over the length limit with the offset of the limit', () => {
    const long = `item.x == '${'a'.repeat(MAX_EXPRESSION_LENGTH)}'`
    expect(offsetOf(long)).toBe(MAX_EXPRESSION_LENGTH)
  })

  it('refuses deep nesting instead of overflowing the stack', () => {
    expect(offsetOf(`${'('.repeat(65)}true${')'.repeat(65)}`)).toBe(64)
    expect(offsetOf(`${'!'.repeat(100)}true`)).toBe(64)
    expect(offsetOf(`${'['.repeat(100)}${']'.repeat(100)}`)).toBe(64)
    expect(run(`${'('.repeat(60)}true${')'.repeat(60)}`)).toBe(true)
  })

  it('evaluates long flat chains without deep recursion', () => {
    const chain = Array.from({ length: 900 }, () => 'a').join('||')
    expect(chain.length).toBeLessThan(MAX_EXPRESSION_LENGTH)
    expect(run(chain, { a: false })).toBe(false)
    expect(run(chain, { a: 1 })).toBe(true)
    const compiled = compileExpression(chain)
    expect(compiled.paths).toEqual(['a'])
    expect(compiled.references).toHaveLength(900)
  })
})

describe('compilePath', () => {
  it('reads the value at a bare path', () => {
    const path = compilePath('item.nested.deep.value')
    expect(path.evaluate(scope)).toBe(3)
    expect(path.paths).toEqual(['item.nested.deep.value'])
    expect(path.references[0]).toEqual({
      path: 'item.nested.deep.value',
      segments: ['item', 'nested', 'deep', 'value'],
      offset: 0,
    })
    expect(compilePath('  summary.caption ').references[0]!.offset).toBe(2)
    expect(compilePath('item.missing').evaluate(scope)).toBeUndefined()
  })

  it.each([
    ['', 0, /expected a path/],
    ["'text'", 0, /expected a path/],
    ['item.a == 1', 7, /after the path/],
    ['item.__proto__', 5, /not allowed/],
    ['true', 0, /expected a path/],
  ])('refuses %j at offset %i', (text, offset, message) => {
    expect(() => compilePath(text)).toThrow(message)
    try {
      compilePath(text)
    } catch (error) {
      expect((error as DataflowError).details!['offset']).toBe(offset)
    }
  })
})
