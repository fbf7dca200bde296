import { describe, expect, it } from 'vitest'
import type { NodeInput } from './item.js'
import { compileItemTemplate, templatePlaceholders } from './item-template.js'
import { readPath } from './path.js'

const inputOf = (scope: Record<string, unknown>) =>
  ({ get: (path: string) => readPath(scope, path.split('.')) }) as NodeInput

describe('item templates', () => {
  it('lists placeholders with the offset of their path', () => {
    expect(templatePlaceholders('A {{item.text}} B {{ route.domain }}')).toEqual([
      { path: 'item.text', offset: 4 },
      { path: 'route.domain', offset: 21 },
    ])
  })

  it('renders strings as they are, numbers as text, lists and objects as JSON', () => {
    const template = compileItemTemplate('{{item.text}} | {{judge.mean}} | {{item.tags}} | {{item.text}}')
    expect(template.paths).toEqual(['item.text', 'judge.mean', 'item.tags'])
    expect(template.render(inputOf({ item: { text: 'hi', tags: ['a'] }, judge: { mean: 2.5 } }))).toBe(
      'hi | 2.5 | ["a"] | hi',
    )
  })

  it('refuses to render with a hole and names the placeholder', () => {
    const template = compileItemTemplate('Say {{item.text}}', 'system')
    expect(() => template.render(inputOf({ item: {} }))).toThrow('system: {{item.text}} has no value for this item')
  })

  it('rejects placeholders that are not paths', () => {
    expect(() => compileItemTemplate('{{item..x}}')).toThrow('prompt: {{item..x}} is not a path')
  })
})
