import { DataflowError } from '@dataflow/sdk'
import type { AimdLimiter } from './aimd-limiter.js'
import { createPriorityQueue } from './priority-queue.js'
import type { Timers } from './timers.js'

/** Where a request stands in line: higher priority first (deeper node), then lower sequence (older item). */
export interface AdmissionTicket {
  priority: number
  sequence: number
}

/** How an admitted request ended, for the adaptive limit. */
export type SlotOutcome = 'success' | 'overload' | 'neutral'

/** Permission to have one request in flight. Release it exactly once. */
export interface Slot {
  /** The limiter epoch at admission. */
  readonly epoch: number
  /** Frees the slot; true when this outcome decreased the endpoint's limit. */
  release(outcome: SlotOutcome): boolean
}

export interface PoolStats {
  peakInFlight: number
  peakQueued: number
  admitted: number
  /** Times a Retry-After paused admissions (extending a running pause does not count). */
  pauses: number
}

/** A request waiting in one or more pools; the first pool to admit it calls `admit`. */
export interface PoolWaiter extends AdmissionTicket {
  admit(slot: Slot): void
  /** The pool closed. */
  fail(error: Error): void
}

/** Admission control for one endpoint, shared by every node and model of the run that uses it. */
export interface AdmissionPool {
  readonly inFlight: number
  readonly queued: number
  readonly limit: number
  /** True when a request would be admitted at once (free slot, nobody waiting, not paused). */
  canAdmitNow(): boolean
  /** A slot now if {@link canAdmitNow}, else undefined. */
  tryAcquire(): Slot | undefined
  /** Queues a waiter; the returned function removes it (false if it was already admitted). */
  enqueue(waiter: PoolWaiter): () => boolean
  /** Admits nothing before `time` (the Retry-After of an overload); false if already paused that long. */
  pauseUntil(time: number): boolean
  /** True while admissions are paused. */
  isPaused(): boolean
  /** Applies a /metrics reading to the limit. */
  applyServerLoad(load: { running: number; waiting: number }): void
  stats(): PoolStats
  /** Rejects every waiter with `reason` and clears timers; later waiters are rejected too. */
  close(reason: Error): void
}

const before = (a: AdmissionTicket, b: AdmissionTicket) =>
  a.priority !== b.priority ? a.priority > b.priority : a.sequence < b.sequence

export function createAdmissionPool(limiter: AimdLimiter, timers: Timers): AdmissionPool {
  const queue = createPriorityQueue<PoolWaiter>(before)
  const stats: PoolStats = { peakInFlight: 0, peakQueued: 0, admitted: 0, pauses: 0 }
  let inFlight = 0
  let pausedUntil = 0
  let resumeTimer: ReturnType<Timers['setTimeout']>
  let closedWith: Error | undefined

  const makeSlot = (): Slot => {
    inFlight++
    stats.admitted++
    stats.peakInFlight = Math.max(stats.peakInFlight, inFlight)
    const epoch = limiter.epoch
    let released = false
    return {
      epoch,
      release(outcome) {
        if (released) return false
        released = true
        inFlight--
        let decreased = false
        if (outcome === 'success') limiter.onSuccess(epoch)
        else if (outcome === 'overload') decreased = limiter.onOverload(epoch)
        pump()
        return decreased
      },
    }
  }

  const pump = () => {
    if (closedWith) return
    const now = timers.now()
    if (now < pausedUntil) {
      if (resumeTimer === undefined && queue.size > 0) {
        resumeTimer = timers.setTimeout(() => {
          resumeTimer = undefined
          pump()
        }, pausedUntil - now)
      }
      return
    }
    while (inFlight < limiter.limit && queue.size > 0) queue.pop()!.admit(makeSlot())
  }

  const canAdmitNow = () => !closedWith && queue.size === 0 && inFlight < limiter.limit && timers.now() >= pausedUntil

  const pool: AdmissionPool = {
    get inFlight() {
      return inFlight
    },
    get queued() {
      return queue.size
    },
    get limit() {
      return limiter.limit
    },
    canAdmitNow,
    tryAcquire: () => (canAdmitNow() ? makeSlot() : undefined),
    enqueue(waiter) {
      if (closedWith) {
        waiter.fail(closedWith)
        return () => false
      }
      const entry = queue.push(waiter)
      stats.peakQueued = Math.max(stats.peakQueued, queue.size)
      pump()
      return () => queue.remove(entry)
    },
    pauseUntil(time) {
      if (time <= pausedUntil || closedWith) return false
      const wasPaused = timers.now() < pausedUntil
      pausedUntil = time
      if (!wasPaused) stats.pauses++
      if (resumeTimer !== undefined) timers.clearTimeout(resumeTimer)
      resumeTimer = undefined
      pump()
      return true
    },
    isPaused: () => timers.now() < pausedUntil,
    applyServerLoad(load) {
      limiter.onServerLoad(load, { inFlight, saturated: queue.size > 0 && inFlight >= limiter.limit })
      pump()
    },
    stats: () => ({ ...stats }),
    close(reason) {
      if (closedWith) return
      closedWith = reason
      if (resumeTimer !== undefined) timers.clearTimeout(resumeTimer)
      resumeTimer = undefined
      for (let waiter = queue.pop(); waiter; waiter = queue.pop()) waiter.fail(reason)
    },
  }
  return pool
}

export function interrupted(signal: AbortSignal): DataflowError {
  return new DataflowError('DATAFLOW_INTERRUPTED', 'the request was cancelled while waiting for a slot', {
    cause: signal.reason,
  })
}
