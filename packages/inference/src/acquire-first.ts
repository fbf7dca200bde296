import type { AdmissionPool, AdmissionTicket, Slot } from './admission-pool.js'
import { interrupted } from './admission-pool.js'

/** A slot granted by one of several pools: the pool's index and the slot. */
export interface Admission {
  index: number
  slot: Slot
}

/**
 * A free slot now, at the pool with the fewest requests in flight (ties: the first at or after
 * `start`); undefined when no pool can admit at once.
 */
export function admitNow(pools: readonly AdmissionPool[], start = 0): Admission | undefined {
  let best = -1
  for (let step = 0; step < pools.length; step++) {
    const index = (start + step) % pools.length
    if (pools[index]!.canAdmitNow() && (best < 0 || pools[index]!.inFlight < pools[best]!.inFlight)) best = index
  }
  return best < 0 ? undefined : { index: best, slot: pools[best]!.tryAcquire()! }
}

/**
 * A slot from whichever of `pools` admits the request first. A free slot now goes as in
 * {@link admitNow}; otherwise the request waits in every pool's queue at once and the first slot
 * freed anywhere takes it, so a slow replica never keeps work that an idle one could do.
 */
export function acquireFirst(
  pools: readonly AdmissionPool[],
  ticket: AdmissionTicket,
  signal: AbortSignal | undefined,
  start = 0,
): Promise<Admission> {
  if (signal?.aborted) return Promise.reject(interrupted(signal))
  const now = admitNow(pools, start)
  if (now) return Promise.resolve(now)
  return new Promise((resolve, reject) => {
    const cancels: (() => boolean)[] = []
    let settled = false
    const settle = () => {
      settled = true
      for (const cancel of cancels) cancel()
      signal?.removeEventListener('abort', onAbort)
    }
    const onAbort = () => {
      if (settled) return
      settle()
      reject(interrupted(signal!))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    pools.forEach((pool, index) => {
      if (settled) return
      cancels.push(
        pool.enqueue({
          priority: ticket.priority,
          sequence: ticket.sequence,
          admit(slot) {
            if (settled) {
              slot.release('neutral')
              return
            }
            settle()
            resolve({ index, slot })
          },
          fail(error) {
            if (settled) return
            settle()
            reject(error)
          },
        }),
      )
    })
  })
}
