/**
 * Preloaded (`node --import`) into CLI processes a scenario starts: when the process exits, writes
 * its own CPU time (all threads) and peak RSS to `BENCH_CPU_FILE`, so a process the bench does not
 * run in its own worker is still measured exactly, to its last tick.
 */
import { writeFileSync } from 'node:fs'

const file = process.env['BENCH_CPU_FILE']
if (file)
  process.on('exit', () => {
    const used = process.cpuUsage()
    writeFileSync(
      file,
      JSON.stringify({ cpuMs: (used.user + used.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024 }),
    )
  })
