import { describe, expect, it } from 'vitest'
import { redactSecrets } from './redact-secrets.js'

describe('redactSecrets', () => {
  it('removes key values, bearer tokens and sk- keys', () => {
    expect(redactSecrets('key abcd1234 used', ['abcd1234'])).toBe('key [redacted] used')
    expect(redactSecrets('Authorization: Bearer xyz.123')).toBe('Authorization: Bearer [redacted]')
    expect(redactSecrets('Incorrect API key provided: sk-proj-****abcd.')).toBe(
      'Incorrect API key provided: sk-[redacted].',
    )
  })
})
