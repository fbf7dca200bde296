import type { Clock } from './clock.js'

/** Work for one request. Durations are simulated; the scheduler scales them by `timeScale`. */
export interface SchedulerJob {
  model: string
  /** Decode steps (tokens of the longest choice), at least 1. */
  decodeSteps: number
  /** Multiplies this job's prefill and step times (the slow fault); 1 normally. */
  slowFactor: number
  /** Called when the job enters the running batch; returns its prefill time in simulated ms. */
  start(): number
  /** Called once the last token is decoded. */
  finish(): void
}

export interface ScheduledJob {
  readonly state: 'waiting' | 'running' | 'done'
  /** Tokens decoded so far (fractional), without disturbing the simulation. */
  tokensDone(): number
  /** Removes the job (client went away); no callback runs afterwards. */
  cancel(): void
}

export interface SchedulerHooks {
  /** A job left the queue after waiting `waitMs` real milliseconds. */
  onAdmit(waitMs: number): void
  /** Running or waiting counts changed. */
  onOccupancy(running: number, waiting: number): void
}

export interface SchedulerSettings {
  maxSeqs: number
  timeScale: number
  baseStepMs: number
  stepSlope: number
}

export interface Scheduler {
  submit(job: SchedulerJob): ScheduledJob
  readonly running: number
  readonly waiting: number
  /** Running and waiting jobs per model name. */
  countByModel(): Map<string, { running: number; waiting: number }>
  /** Step time in real ms for a batch of `running` jobs. */
  stepMs(running: number): number
  /** Stops the timer and drops every job without calling it back. */
  dispose(): void
}

interface Entry {
  job: SchedulerJob
  state: 'waiting' | 'running' | 'done'
  enqueuedAt: number
  prefillLeft: number
  tokensLeft: number
}

const EPSILON = 1e-9

/**
 * Continuous batching as a processor-sharing simulation: at most `maxSeqs` jobs run; each
 * spends its prefill time, then decodes one token per step, where
 * step = baseStepMs * (1 + stepSlope * running / maxSeqs). Between events the batch size is
 * constant, so progress is linear and one timer (for the next completion) is enough: no ticks,
 * no busy loop. Queued jobs start in FIFO order.
 */
export function createScheduler(settings: SchedulerSettings, clock: Clock, hooks: SchedulerHooks): Scheduler {
  const running = new Set<Entry>()
  const queue: Entry[] = []
  let lastAdvance = clock.now()
  let timer: unknown
  let disposed = false

  const stepMs = (count: number) =>
    settings.baseStepMs * (1 + (settings.stepSlope * count) / settings.maxSeqs) * settings.timeScale
  const remainingMs = (entry: Entry, step: number) => entry.prefillLeft + entry.tokensLeft * step * entry.job.slowFactor

  const advance = (now: number) => {
    const elapsed = now - lastAdvance
    lastAdvance = now
    if (elapsed <= 0) return
    const step = stepMs(running.size)
    for (const entry of running) {
      const prefill = Math.min(entry.prefillLeft, elapsed)
      entry.prefillLeft -= prefill
      entry.tokensLeft -= (elapsed - prefill) / (step * entry.job.slowFactor)
    }
  }

  const reschedule = () => {
    if (timer !== undefined) clock.clearTimeout(timer)
    timer = undefined
    if (running.size === 0 || disposed) return
    const step = stepMs(running.size)
    let next = Infinity
    for (const entry of running) next = Math.min(next, remainingMs(entry, step))
    timer = clock.setTimeout(onTimer, Math.max(0, next))
  }

  const admit = (now: number) => {
    while (running.size < settings.maxSeqs && queue.length > 0) {
      const entry = queue.shift()!
      entry.state = 'running'
      running.add(entry)
      hooks.onAdmit(now - entry.enqueuedAt)
      entry.prefillLeft = Math.max(0, entry.job.start()) * settings.timeScale * entry.job.slowFactor
    }
  }

  /** Settles the simulation at `now`: finishes done jobs, admits waiting ones, re-arms the timer. */
  const settle = () => {
    const now = clock.now()
    advance(now)
    const finished = [...running].filter((e) => e.prefillLeft <= EPSILON && e.tokensLeft <= EPSILON)
    for (const entry of finished) {
      running.delete(entry)
      entry.state = 'done'
    }
    admit(now)
    hooks.onOccupancy(running.size, queue.length)
    reschedule()
    for (const entry of finished) entry.job.finish()
  }

  function onTimer() {
    timer = undefined
    if (!disposed) settle()
  }

  return {
    submit(job) {
      const entry: Entry = {
        job,
        state: 'waiting',
        enqueuedAt: clock.now(),
        prefillLeft: 0,
        tokensLeft: Math.max(1, job.decodeSteps),
      }
      if (disposed) {
        entry.state = 'done'
      } else {
        advance(entry.enqueuedAt)
        queue.push(entry)
        settle()
      }
      return {
        get state() {
          return entry.state
        },
        tokensDone() {
          const total = Math.max(1, job.decodeSteps)
          if (entry.state !== 'running') return entry.state === 'done' ? total : 0
          const elapsed = clock.now() - lastAdvance
          const decoding = Math.max(0, elapsed - entry.prefillLeft)
          const left = entry.tokensLeft - decoding / (stepMs(running.size) * job.slowFactor)
          return Math.min(total, Math.max(0, total - left))
        },
        cancel() {
          if (entry.state === 'done' || disposed) return
          advance(clock.now())
          if (entry.state === 'waiting') queue.splice(queue.indexOf(entry), 1)
          else running.delete(entry)
          entry.state = 'done'
          settle()
        },
      }
    },
    get running() {
      return running.size
    },
    get waiting() {
      return queue.length
    },
    countByModel() {
      const counts = new Map<string, { running: number; waiting: number }>()
      const get = (model: string) => counts.get(model) ?? counts.set(model, { running: 0, waiting: 0 }).get(model)!
      for (const entry of running) get(entry.job.model).running++
      for (const entry of queue) get(entry.job.model).waiting++
      return counts
    },
    stepMs,
    dispose() {
      disposed = true
      if (timer !== undefined) clock.clearTimeout(timer)
      timer = undefined
      running.clear()
      queue.length = 0
    },
  }
}
