import { describe, expect, it } from 'vitest'
import { replaceSection } from './benchmarks-file.js'

describe('replaceSection', () => {
  it('appends a new section with its heading, then replaces only what is between its markers', () => {
    const first = replaceSection('# Benchmarks\n\nIntro.\n', 'dag', 'dag: a title', 'numbers v1')
    expect(first).toContain('Intro.\n\n## dag: a title\n\n<!-- bench:dag:start')
    expect(first).toContain('numbers v1\n<!-- bench:dag:end -->')
    const annotated = first.replace('<!-- bench:dag:end -->', '<!-- bench:dag:end -->\n\nHand-written analysis.')
    const second = replaceSection(annotated, 'dag', 'dag: a title', 'numbers v2')
    expect(second).not.toContain('numbers v1')
    expect(second).toContain('numbers v2')
    expect(second).toContain('Hand-written analysis.')
    expect(second.match(/## dag: a title/g)).toHaveLength(1)
  })

  it('leaves other sections alone and starts an empty file with a title', () => {
    const both = replaceSection(replaceSection('', 'a', 'A', 'one'), 'b', 'B', 'two')
    expect(both.startsWith('# Benchmarks\n')).toBe(true)
    const updated = replaceSection(both, 'a', 'A', 'uno')
    expect(updated).toContain('uno')
    expect(updated).toContain('two')
  })
})
