import { readFileSync } from 'node:fs'

/** CPU, wall time and memory of this process over a measured span. */
export interface ProcessMeasure {
  wallMs: number
  /** User + system CPU of every thread of this process (libuv pool and sharp's threads included). */
  cpuMs: number
  /** RSS when the span started, after a forced GC when `--expose-gc` is on. */
  startRssMb: number
  /** Highest RSS seen by sampling every `intervalMs`. */
  peakRssMb: number
  /** The kernel's peak RSS of the process (ru_maxrss): startup included, no sampling gaps. */
  maxRssMb: number
  /** Heap in use at the end, after a forced GC. */
  endHeapMb: number
}

const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10

/**
 * CPU of this process's finished child processes (ffmpeg, ffprobe), from /proc/self/stat;
 * undefined where that file does not exist.
 */
export function childrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // Fields 16 and 17 of stat(5) (cutime, cstime), counted from the state field (3) here.
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS
  } catch {
    return undefined
  }
}

/** USER_HZ: 100 on every Linux build Node supports. */
const CLOCK_TICKS = 100

/** Forces a collection when the process runs with `--expose-gc`. */
export function collectGarbage(): void {
  ;(globalThis as { gc?: () => void }).gc?.()
}

export function rssMb(): number {
  return mb(process.memoryUsage.rss())
}

export function heapMb(): number {
  return mb(process.memoryUsage().heapUsed)
}

/** Starts measuring; `stop()` returns the figures. */
export function startProcessMeter(intervalMs = 50): { stop(): ProcessMeasure } {
  collectGarbage()
  const startRss = process.memoryUsage.rss()
  let peak = startRss
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss())
  }, intervalMs)
  timer.unref()
  const cpu = process.cpuUsage()
  const started = performance.now()
  return {
    stop() {
      const wallMs = performance.now() - started
      const used = process.cpuUsage(cpu)
      clearInterval(timer)
      peak = Math.max(peak, process.memoryUsage.rss())
      collectGarbage()
      return {
        wallMs: Math.round(wallMs),
        cpuMs: Math.round((used.user + used.system) / 100) / 10,
        startRssMb: mb(startRss),
        peakRssMb: mb(peak),
        maxRssMb: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
        endHeapMb: mb(process.memoryUsage().heapUsed),
      }
    },
  }
}
