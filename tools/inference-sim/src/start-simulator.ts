import { createServer, type Server } from 'node:http'
import type { Socket } from 'node:net'
import { systemClock } from './clock.js'
import { resolveOptions, validateFaults, type Faults, type ResolvedOptions, type SimulatorOptions } from './options.js'
import { createPrefixCache } from './prefix-cache.js'
import { route } from './routes.js'
import { createScheduler } from './scheduler.js'
import type { SimStats } from './sim-stats.js'
import type { SimulatorState } from './simulator-state.js'
import { createStatsCollector } from './stats-collector.js'
import { createStreamTicker } from './stream-ticker.js'

/** A running simulator. */
export interface Simulator {
  /** Base URL of the OpenAI-compatible API, e.g. `http://127.0.0.1:8000/v1`. */
  readonly url: string
  readonly port: number
  /** The settings in effect (defaults filled in). */
  readonly options: Readonly<ResolvedOptions>
  /** Statistics since start or the last reset (same as `GET /sim/stats`). */
  stats(): SimStats
  /** Changes some fault rates at run time (same as `POST /sim/faults`). */
  setFaults(faults: Partial<Faults>): void
  /** Clears statistics, counters, the prefix cache and the fault arrival order (same as `POST /sim/reset`). */
  reset(): void
  /** Stops listening, ends every socket and timer; in-flight requests are dropped. */
  close(): Promise<void>
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      const address = server.address()
      resolve(typeof address === 'object' && address !== null ? address.port : port)
    })
  })
}

/**
 * Starts the simulator: a TEST DOUBLE of a vLLM server (no model; answers are simulated and
 * start with "[simulated]"). `port: 0` (the default here) picks a free port.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const clock = systemClock
  const resolved = resolveOptions(options)
  const stats = createStatsCollector(resolved, clock)
  let arrivals = 0
  const state: SimulatorState = {
    options: resolved,
    clock,
    scheduler: createScheduler(resolved, clock, stats),
    stats,
    prefixCache: createPrefixCache(resolved.prefixCacheTokens),
    ticker: createStreamTicker(),
    seenModels: new Set(),
    nextArrival: () => arrivals++,
  }
  const control = {
    setFaults: (faults: Partial<Faults>) => {
      state.options.faults = { ...state.options.faults, ...validateFaults(faults) }
    },
    reset: () => {
      arrivals = 0
      state.prefixCache.clear()
      stats.reset()
    },
  }
  const sockets = new Set<Socket>()
  const server = createServer((request, response) => route(state, control, request, response))
  server.on('connection', (socket) => {
    sockets.add(socket)
    stats.connectionOpened()
    socket.once('close', () => {
      sockets.delete(socket)
      stats.connectionClosed()
    })
  })
  const port = await listen(server, resolved.port, resolved.host)
  const hostInUrl = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host
  let closing: Promise<void> | undefined

  return {
    url: `http://${hostInUrl}:${port}/v1`,
    port,
    options: resolved,
    stats: () => stats.snapshot(),
    setFaults: control.setFaults,
    reset: control.reset,
    close() {
      closing ??= (async () => {
        state.scheduler.dispose()
        state.ticker.dispose()
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()))
        const socketsClosed = [...sockets].map(
          (socket) =>
            new Promise<void>((resolve) => {
              socket.once('close', () => resolve())
              socket.destroy()
            }),
        )
        await Promise.all([serverClosed, ...socketsClosed])
      })()
      return closing
    },
  }
}
