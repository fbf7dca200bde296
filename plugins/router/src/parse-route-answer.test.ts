import { describe, expect, it } from 'vitest'
import { DEFAULT_DOMAINS } from './default-domains.js'
import { createDomainResolver } from './domain-aliases.js'
import { parseRouteAnswer } from './parse-route-answer.js'

const resolver = createDomainResolver(DEFAULT_DOMAINS, {})
const parse = (raw: string) => parseRouteAnswer(raw, resolver)

describe('parseRouteAnswer', () => {
  it('reads JSON in a markdown fence with alias spellings and a string confidence', () => {
    expect(parse('```json\n{"domain": "Structure & Math", "confidence": "2", "reason": "a bar chart"}\n```')).toEqual({
      domain: 'chart-math',
      confidence: 2,
      reason: 'a bar chart',
    })
  })

  it('reads labelled lines with markdown and extra words', () => {
    expect(parse('**Domain:** Code & Programming (an IDE, not a plain UI)\n**Confidence:** 3')).toEqual({
      domain: 'code',
      confidence: 3,
    })
  })

  it('prefers the labelled domain over earlier mentions', () => {
    expect(parse('Although it looks like a UI, the domain: code. Confidence 2')).toEqual({
      domain: 'code',
      confidence: 2,
    })
  })

  it('reads prose with a lone digit as confidence', () => {
    expect(parse('natural, 3')).toEqual({ domain: 'natural', confidence: 3 })
    expect(parse('This is a medical image.')).toEqual({ domain: 'medical' })
  })

  it('ignores digits outside 1-3 and inside numbers', () => {
    expect(parse('Document with 12 pages, confidence 5')).toEqual({ domain: 'document' })
  })

  it('returns no domain for unknown answers', () => {
    expect(parse('Astronomy, confidence 3')).toEqual({ confidence: 3 })
    expect(parse('')).toEqual({})
  })
})
