import { describe, expect, it } from 'vitest'
import { createCircuitBreaker } from './circuit-breaker.js'

describe('createCircuitBreaker', () => {
  const setup = () => {
    let time = 0
    const changes: string[] = []
    const breaker = createCircuitBreaker({
      failureThreshold: 3,
      cooldownMs: 1000,
      maxCooldownMs: 3000,
      now: () => time,
      onChange: (state) => changes.push(state),
    })
    return {
      breaker,
      changes,
      advance: (ms: number) => {
        time += ms
      },
    }
  }

  it('opens after consecutive failures; a success in between resets the count', () => {
    const { breaker } = setup()
    breaker.onFailure(false)
    breaker.onFailure(false)
    breaker.onSuccess()
    breaker.onFailure(false)
    breaker.onFailure(false)
    expect(breaker.state()).toBe('closed')
    breaker.onFailure(false)
    expect(breaker.state()).toBe('open')
    expect(breaker.canSend()).toBe(false)
    expect(breaker.reopensAt).toBe(1000)
  })

  it('lets one trial through after the cool-down; its success closes the breaker', () => {
    const { breaker, changes, advance } = setup()
    for (let i = 0; i < 3; i++) breaker.onFailure(false)
    advance(1000)
    expect(breaker.state()).toBe('half-open')
    expect(breaker.canSend()).toBe(true)
    expect(breaker.onSend()).toBe(true)
    expect(breaker.canSend()).toBe(false)
    expect(breaker.onSend()).toBe(false)
    breaker.onSuccess()
    expect(breaker.state()).toBe('closed')
    expect(changes).toEqual(['open', 'closed'])
  })

  it('a failed trial doubles the cool-down up to the cap', () => {
    const { breaker, advance } = setup()
    for (let i = 0; i < 3; i++) breaker.onFailure(false)
    const cooldowns: number[] = []
    let opened = 0
    for (let round = 0; round < 3; round++) {
      cooldowns.push(breaker.reopensAt - opened)
      advance(breaker.reopensAt - opened)
      opened = breaker.reopensAt
      expect(breaker.onSend()).toBe(true)
      breaker.onFailure(true)
      expect(breaker.state()).toBe('open')
    }
    cooldowns.push(breaker.reopensAt - opened)
    expect(cooldowns).toEqual([1000, 2000, 3000, 3000])
    expect(breaker.opens).toBe(4)
  })

  it('a trial that ends without a verdict frees the trial for another request', () => {
    const { breaker, advance } = setup()
    for (let i = 0; i < 3; i++) breaker.onFailure(false)
    advance(1000)
    expect(breaker.onSend()).toBe(true)
    breaker.onNeutral(true)
    expect(breaker.canSend()).toBe(true)
  })
})
