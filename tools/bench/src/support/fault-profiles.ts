import type { Faults } from '@dataflow/inference-sim'

/** One set of injected faults, applied to every server of a run. */
export interface FaultProfile {
  /** Short name for tables. */
  name: string
  faults: Partial<Faults>
}

const NONE: Faults = {
  errorRate: 0,
  rateLimitRate: 0,
  // One simulated second: a short Retry-After, as gateways send for a burst.
  retryAfterSeconds: 1,
  hangRate: 0,
  malformedRate: 0,
  slowRate: 0,
  slowFactor: 10,
  maxWaiting: null,
}

const profile = (name: string, faults: Partial<Faults>): FaultProfile => ({ name, faults: { ...NONE, ...faults } })

/** The fault sets of issue 9, fault-free first (the reference of every ratio). */
export const FAULT_PROFILES: readonly FaultProfile[] = [
  profile('none', {}),
  profile('2% 500', { errorRate: 0.02 }),
  profile('2% 429', { rateLimitRate: 0.02 }),
  profile('1% hang', { hangRate: 0.01 }),
  profile('2% 500 + 2% 429', { errorRate: 0.02, rateLimitRate: 0.02 }),
  profile('5% 429', { rateLimitRate: 0.05 }),
  profile('5% 500 + 5% 429 + 1% hang + 1% malformed', {
    errorRate: 0.05,
    rateLimitRate: 0.05,
    hangRate: 0.01,
    malformedRate: 0.01,
  }),
]

/** The profile names the targets refer to. */
export const MIX = '2% 500 + 2% 429'
export const BIG_MIX = '5% 500 + 5% 429 + 1% hang + 1% malformed'
