import { spawn } from 'node:child_process'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readJson, readJsonl, REPO, tempDir } from './support.js'

/** Resolves once `ready()` is true (checked every 100 ms); rejects after `limitMs`. */
async function until(what: string, ready: () => Promise<boolean> | boolean, limitMs: number): Promise<void> {
  const end = Date.now() + limitMs
  while (Date.now() < end) {
    if (await ready()) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`gave up waiting for ${what} after ${limitMs} ms`)
}

/** The processes of a process group (Linux /proc): what a terminal's Ctrl-C signals. */
async function processGroup(pgid: number): Promise<number[]> {
  const members: number[] = []
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '')
    // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so read after the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (Number(fields[2]) === pgid) members.push(Number(name))
  }
  return members
}

describe('npm run demo and Ctrl-C', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  beforeAll(async () => {
    dir = await tempDir('dataflow-demo-')
  })
  afterAll(() => dir.remove())

  it("the terminal's first Ctrl-C drains the run: items in flight finish and train.json holds them", async () => {
    const out = join(dir.path, 'run')
    // Its own process group, as a shell gives a foreground job; Ctrl-C signals the whole group.
    const demo = spawn(process.execPath, [join(REPO, 'tools/demo/run-demo.mjs')], {
      cwd: REPO,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DEMO_OUT: out, DEMO_TIME_SCALE: '0.05' },
    })
    let output = ''
    demo.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    demo.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const exit = new Promise<number | null>((resolve) => demo.on('close', (code) => resolve(code)))

    const captions = join(out, 'captions.jsonl')
    await until('a first caption', async () => ((await stat(captions).catch(() => undefined))?.size ?? 0) > 0, 120_000)
    // Ctrl-C: the terminal signals every process of the foreground group. Delivered one process at
    // a time, the run first, so that the outcome does not depend on how the kernel schedules them.
    const group = await processGroup(demo.pid!)
    for (const pid of group.filter((member) => member !== demo.pid)) {
      process.kill(pid, 'SIGINT')
      await until('the run to take the signal', () => output.includes('SIGINT: no new items'), 60_000)
    }
    process.kill(demo.pid!, 'SIGINT')
    const code = await exit

    expect(output).toContain('SIGINT: no new items; finishing the items in flight')
    expect(output).not.toContain('SIGINT again')
    expect(code).toBe(130)
    const report = await readJson<{ status: string; outcomes: Record<string, number> }>(join(out, 'report.json'))
    expect(report.status).toBe('stopped')
    expect(report.outcomes['interrupted']).toBe(0)
    // The demo's last line is the page to open, for a stopped run too.
    expect(output.trimEnd().split('\n').at(-1)).toBe(`report: ${join(out, 'report.html')}`)
    const kept = await readJsonl(captions)
    const train = await readJson<unknown[]>(join(out, 'train.json'))
    expect(kept.length).toBeGreaterThan(0)
    expect(train).toHaveLength(kept.length)
    // The run is not in the terminal's group: it hears of Ctrl-C once, from the demo.
    expect(group).toEqual([demo.pid])
  }, 240_000)
})
