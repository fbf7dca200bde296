import type { CommandIo } from './command.js'

/** Exit codes for runs ended by a signal, as shells report them. */
export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const

export interface StopSignals {
  /** Aborted by the first signal: no new items. */
  stop: AbortSignal
  /** Aborted by a second signal or when the drain time is over: items in flight end as interrupted. */
  abort: AbortSignal
  /** The signal that stopped the run, if any. */
  stoppedBy(): keyof typeof SIGNAL_EXIT | undefined
  dispose(): void
}

/**
 * Listens for SIGINT/SIGTERM from the moment a command starts (before the pipeline is loaded), so
 * that an early Ctrl-C still ends the run cleanly: the first signal drains, the second interrupts.
 */
export function watchStopSignals(io: CommandIo, drainSeconds: number): StopSignals {
  const stop = new AbortController()
  const abort = new AbortController()
  let stoppedBy: keyof typeof SIGNAL_EXIT | undefined
  let drainTimer: NodeJS.Timeout | undefined
  const onSignal = (signal: keyof typeof SIGNAL_EXIT) => () => {
    if (stoppedBy) {
      io.stderr.write(`\n${signal} again: interrupting the items in flight\n`)
      abort.abort(new Error(signal))
      return
    }
    stoppedBy = signal
    io.stderr.write(
      `\n${signal}: no new items; finishing the items in flight (up to ${drainSeconds}s, ${signal === 'SIGINT' ? 'Ctrl-C' : signal} again to interrupt them)\n`,
    )
    stop.abort(new Error(signal))
    drainTimer = setTimeout(() => abort.abort(new Error(`${signal}: drain timeout`)), drainSeconds * 1000)
    drainTimer.unref()
  }
  const offInt = io.onSignal('SIGINT', onSignal('SIGINT'))
  const offTerm = io.onSignal('SIGTERM', onSignal('SIGTERM'))
  return {
    stop: stop.signal,
    abort: abort.signal,
    stoppedBy: () => stoppedBy,
    dispose() {
      clearTimeout(drainTimer)
      offInt()
      offTerm()
    },
  }
}
