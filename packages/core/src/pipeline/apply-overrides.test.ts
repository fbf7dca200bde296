import { DataflowError } from '@dataflow/sdk'
import { describe, expect, it } from 'vitest'
import { LineCounter, parseDocument } from 'yaml'
import { applyOverrides, parseOverride } from './apply-overrides.js'
import type { PipelineSource } from './yaml-position.js'

function sourceOf(text: string): PipelineSource {
  const lineCounter = new LineCounter()
  return { file: '/p.yaml', text, document: parseDocument(text, { lineCounter }), lineCounter }
}

describe('parseOverride', () => {
  it('splits a dotted path and reads the value as YAML', () => {
    expect(parseOverride('source.with.metafile=data/x.json')).toEqual({
      text: 'source.with.metafile=data/x.json',
      segments: ['source', 'with', 'metafile'],
      value: 'data/x.json',
    })
    expect(parseOverride('run.window=64').value).toBe(64)
    expect(parseOverride('run.maxErrorRate=0.5').value).toBe(0.5)
    expect(parseOverride('nodes.a.with.flag=false').value).toBe(false)
    expect(parseOverride('nodes.a.with.x=null').value).toBe(null)
    expect(parseOverride('nodes.a.needs=[b, c]').value).toEqual(['b', 'c'])
    expect(parseOverride('models.vlm={ baseURL: "http://h:1/v1", model: m }').value).toEqual({
      baseURL: 'http://h:1/v1',
      model: 'm',
    })
    expect(parseOverride("nodes.a.when=route.domain == 'ui'").value).toBe("route.domain == 'ui'")
  })

  it('keeps text that would be a block mapping, and "=" inside the value', () => {
    expect(parseOverride('description=note: read this').value).toBe('note: read this')
    expect(parseOverride('nodes.a.when=a == b').value).toBe('a == b')
    expect(parseOverride('name=').value).toBe('')
  })

  it.each([
    ['no-equals', /missing "="/],
    ['=value', /path before "=" is empty/],
    ['a..b=1', /empty segment/],
    ['a.=1', /empty segment/],
    ['nodes.__proto__.x=1', /"__proto__" is not allowed/],
    ['a.constructor=1', /"constructor" is not allowed/],
    ['a=[1, 2', /not valid YAML/],
  ])('refuses %j with DATAFLOW_USAGE', (text, message) => {
    expect(() => parseOverride(text)).toThrow(message)
    try {
      parseOverride(text)
    } catch (error) {
      expect(error).toBeInstanceOf(DataflowError)
      expect((error as DataflowError).code).toBe('DATAFLOW_USAGE')
      expect((error as DataflowError).hint).toMatch(/--set path\.to\.key=value/)
    }
  })
})

describe('applyOverrides', () => {
  it('replaces values and creates missing parents', () => {
    const source = sourceOf('run:\n  window: 8\nnodes:\n  judge:\n    uses: x\n')
    const problems = applyOverrides(source, [
      parseOverride('run.window=64'),
      parseOverride('nodes.judge.with.keep=any'),
      parseOverride('source.with.metafile=data/x.json'),
    ])
    expect(problems).toEqual([])
    expect(source.document.toJS()).toEqual({
      run: { window: 64 },
      nodes: { judge: { uses: 'x', with: { keep: 'any' } } },
      source: { with: { metafile: 'data/x.json' } },
    })
  })

  it('fills an empty value such as `with:`', () => {
    const source = sourceOf('nodes:\n  judge:\n    uses: x\n    with:\n')
    expect(applyOverrides(source, [parseOverride('nodes.judge.with.keep=any')])).toEqual([])
    expect(source.document.toJS()).toEqual({ nodes: { judge: { uses: 'x', with: { keep: 'any' } } } })
  })

  it('sets items of sequences by index', () => {
    const source = sourceOf('nodes:\n  a:\n    needs: [b, c]\n')
    expect(applyOverrides(source, [parseOverride('nodes.a.needs.1=d')])).toEqual([])
    expect(source.document.toJS()).toEqual({ nodes: { a: { needs: ['b', 'd'] } } })
  })

  it('applies in order: the last one wins', () => {
    const source = sourceOf('name: a\n')
    applyOverrides(source, [parseOverride('name=b'), parseOverride('name=c')])
    expect(source.document.toJS()).toEqual({ name: 'c' })
  })

  it('refuses a path through a scalar, and goes on with the others', () => {
    const source = sourceOf('name: a\nrun: {}\n')
    const problems = applyOverrides(source, [parseOverride('name.first=x'), parseOverride('run.window=2')])
    expect(problems.map((problem) => [problem.code, problem.message])).toEqual([
      ['DATAFLOW_USAGE', '--set name.first=x: name is not a mapping, so it has no key "first"'],
    ])
    expect(source.document.toJS()).toEqual({ name: 'a', run: { window: 2 } })
  })

  it('refuses any path when the document is a scalar', () => {
    const problems = applyOverrides(sourceOf('just text\n'), [parseOverride('a=1')])
    expect(problems[0]!.message).toBe('--set a=1: the document is not a mapping, so it has no key "a"')
  })

  it('turns an empty document into a mapping', () => {
    const source = sourceOf('')
    expect(applyOverrides(source, [parseOverride('a.b=1')])).toEqual([])
    expect(source.document.toJS()).toEqual({ a: { b: 1 } })
  })
})
