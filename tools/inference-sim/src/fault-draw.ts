import type { Faults } from './options.js'
import { randomFrom } from './random.js'

/** The faults drawn for one request. At most one outcome fault; `slow` can combine with `malformed`. */
export interface FaultDraw {
  outcome: 'rateLimited' | 'serverError' | 'hung' | 'malformed' | undefined
  slow: boolean
}

/**
 * Draws the faults of the request that arrived `arrival`-th (0-based) since start or reset.
 * Each fault kind has its own uniform draw from (seed, arrival, kind), checked in the order
 * 429, 500, hang, malformed; so the same seed and arrival order fail the same requests, and
 * raising one rate does not move the others.
 */
export function drawFaults(seed: number, arrival: number, faults: Faults): FaultDraw {
  const draw = (kind: string) => randomFrom(seed, arrival, kind).next()
  let outcome: FaultDraw['outcome']
  if (draw('rate-limit') < faults.rateLimitRate) outcome = 'rateLimited'
  else if (draw('error') < faults.errorRate) outcome = 'serverError'
  else if (draw('hang') < faults.hangRate) outcome = 'hung'
  else if (draw('malformed') < faults.malformedRate) outcome = 'malformed'
  return { outcome, slow: draw('slow') < faults.slowRate }
}
