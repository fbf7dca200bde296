export type BreakerState = 'closed' | 'open' | 'half-open'

/**
 * Takes a replica out after consecutive failures. After the cool-down one trial request may go
 * (half-open): success closes the breaker, failure opens it again for twice as long (up to a cap).
 */
export interface CircuitBreaker {
  state(): BreakerState
  /** Whether a request may be sent now (closed, or half-open with no trial in flight). */
  canSend(): boolean
  /** A request was sent; returns true when it is the half-open trial (pass that back with its outcome). */
  onSend(): boolean
  onSuccess(): void
  /** Connection error, timeout or 5xx. */
  onFailure(trial: boolean): void
  /** The request ended without telling whether the replica works (cancelled, 4xx, 429). */
  onNeutral(trial: boolean): void
  /** When an open breaker lets a trial through (clock of `now`). */
  readonly reopensAt: number
  /** Times the breaker opened. */
  readonly opens: number
}

export interface CircuitBreakerOptions {
  failureThreshold: number
  cooldownMs: number
  maxCooldownMs: number
  now: () => number
  /** Called when the breaker opens or closes. */
  onChange?: (state: 'open' | 'closed', detail: { failures: number; cooldownMs: number }) => void
}

export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  let failures = 0
  let open = false
  let reopensAt = 0
  let cooldown = options.cooldownMs
  let trialInFlight = false
  let opens = 0
  const state = (): BreakerState => (!open ? 'closed' : options.now() < reopensAt ? 'open' : 'half-open')
  const trip = (nextCooldown: number) => {
    cooldown = Math.min(nextCooldown, options.maxCooldownMs)
    open = true
    opens++
    reopensAt = options.now() + cooldown
    options.onChange?.('open', { failures, cooldownMs: cooldown })
  }
  return {
    state,
    canSend() {
      const current = state()
      return current === 'closed' || (current === 'half-open' && !trialInFlight)
    },
    onSend() {
      if (state() !== 'half-open' || trialInFlight) return false
      trialInFlight = true
      return true
    },
    onSuccess() {
      failures = 0
      trialInFlight = false
      if (open) {
        open = false
        cooldown = options.cooldownMs
        options.onChange?.('closed', { failures: 0, cooldownMs: 0 })
      }
    },
    onFailure(trial) {
      failures++
      if (trial) {
        trialInFlight = false
        trip(cooldown * 2)
      } else if (!open && failures >= options.failureThreshold) trip(options.cooldownMs)
    },
    onNeutral(trial) {
      if (trial) trialInFlight = false
    },
    get reopensAt() {
      return reopensAt
    },
    get opens() {
      return opens
    },
  }
}
