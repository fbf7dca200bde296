import { describe, expect, it } from 'vitest'
import { DEFAULT_DOMAINS } from './default-domains.js'
import { createDomainResolver, toLabelKey } from './domain-aliases.js'

const resolver = createDomainResolver(DEFAULT_DOMAINS, {})

describe('toDomainKey', () => {
  it.each([
    ['Structure & Math', 'chart-math'],
    ['Chart & Math', 'chart-math'],
    ['chart and math', 'chart-math'],
    ['CHART-MATH', 'chart-math'],
    ['Infographic & Document', 'document'],
    ['Document', 'document'],
    ['Natural', 'natural'],
    ['UI & Interaction', 'ui'],
    ['Code & Programming', 'code'],
    ['Knowledge & Education', 'knowledge'],
    ['Synthetic / Aesthetic', 'synthetic'],
    ['Medical & Bio-Imaging', 'medical'],
    ['medical&bioimaging', 'medical'],
    ['Video & Temporal', 'video'],
    [' ui ', 'ui'],
  ])('maps %j to %s', (label, key) => {
    expect(resolver.toDomainKey(label)).toBe(key)
  })

  it('rejects unknown labels', () => {
    expect(resolver.toDomainKey('Astronomy')).toBeUndefined()
    expect(resolver.toDomainKey('')).toBeUndefined()
  })

  it('drops built-in aliases of domains that are not configured and adds user aliases', () => {
    const custom = createDomainResolver(
      DEFAULT_DOMAINS.filter((domain) => domain.key !== 'medical'),
      { Radiology: 'natural' },
    )
    expect(custom.toDomainKey('Medical')).toBeUndefined()
    expect(custom.toDomainKey('radiology')).toBe('natural')
    expect(custom.keys).toContain('video')
  })

  it('refuses a user alias that points to no domain', () => {
    expect(() => createDomainResolver(DEFAULT_DOMAINS, { X: 'astronomy' })).toThrow(/not a domain key/)
  })
})

describe('findMentions', () => {
  it('finds labels in prose, longest first at the same position', () => {
    const mentions = resolver.findMentions('I think this is **Structure and Math**.')
    expect(mentions[0]).toMatchObject({ key: 'chart-math', length: 'structure and math'.length })
  })

  it('respects word boundaries', () => {
    expect(resolver.findMentions('a guide to the uinverse of articles')).toEqual([])
  })
})

it('toLabelKey ignores case, punctuation and "and"', () => {
  expect(toLabelKey('Synthetic / Aesthetic')).toBe('syntheticaesthetic')
  expect(toLabelKey('Infographic and Document')).toBe(toLabelKey('infographic&document'))
})
