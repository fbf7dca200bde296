import { describe, expect, it } from 'vitest'
import { splitTsvFields } from './split-tsv-fields.js'

describe('splitTsvFields', () => {
  it('splits plain rows on tabs, keeping empty fields', () => {
    expect(splitTsvFields('a\t\tc\t')).toEqual({ fields: ['a', '', 'c', ''] })
  })

  it('reads quoted fields as pandas writes them: tabs, line breaks and doubled quotes inside', () => {
    expect(splitTsvFields('1\t"say ""hi""\tthen\nleave"\t""\tx')).toEqual({
      fields: ['1', 'say "hi"\tthen\nleave', '', 'x'],
    })
  })

  it('keeps a quote in the middle of an unquoted field, and text after a closing quote (as Python csv does)', () => {
    expect(splitTsvFields('5" screen\t"a"b\tc')).toEqual({ fields: ['5" screen', 'ab', 'c'] })
  })

  it('reports an unclosed quoted field with its column', () => {
    expect(splitTsvFields('1\t2\t"open')).toEqual({ problem: 'a quoted field (column 3) is not closed' })
  })
})
