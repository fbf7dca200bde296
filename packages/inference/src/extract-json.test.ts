import { describe, expect, it } from 'vitest'
import { extractJson } from './extract-json.js'

describe('extractJson', () => {
  it.each([
    ['plain JSON', '{"a": 1}', { a: 1 }],
    ['a code fence with prose around', 'Here you go:\n```json\n{"a": [1, 2]}\n```\nHope it helps.', { a: [1, 2] }],
    ['a fence without language', '```\n[1, 2]\n```', [1, 2]],
    [
      'leading prose, no fence',
      'The answer is {"domain": "ui", "note": "braces } in strings"} as asked.',
      { domain: 'ui', note: 'braces } in strings' },
    ],
    ['reasoning in think tags', '<think>maybe {"a": 0}?</think>\n{"a": 2}', { a: 2 }],
    ['a broken candidate before a good one', 'Try {not json} or {"ok": true}', { ok: true }],
    ['escaped quotes', '{"text": "she said \\"hi\\" {"}', { text: 'she said "hi" {' }],
  ])('finds JSON in %s', (_name, answer, expected) => {
    expect(extractJson(answer)).toEqual({ ok: true, value: expected })
  })

  it('explains what is wrong when there is no JSON', () => {
    expect(extractJson('')).toEqual({ ok: false, error: 'the answer is empty' })
    expect(extractJson('No idea, sorry.')).toMatchObject({
      ok: false,
      error: expect.stringContaining('no JSON object or array'),
    })
    expect(extractJson('{"caption": "a long text that was cut')).toMatchObject({
      ok: false,
      error: expect.stringContaining('cut off'),
    })
  })
})
