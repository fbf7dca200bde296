import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** A redis-server of the scenario's own: free loopback port, its own folder, AOF on, noeviction. */
export interface BenchRedis {
  url: string
  /** `redis-cli <args>` against this server; its stdout. */
  cli(...args: string[]): Promise<string>
  /** Fields of `INFO memory` as numbers where they are numbers. */
  memory(): Promise<Record<string, number>>
  stop(): Promise<void>
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** Starts `/usr/bin/redis-server` as the guide asks for production: appendonly yes (fsync every second), noeviction. */
export async function startBenchRedis(dir: string): Promise<BenchRedis> {
  const port = await freePort()
  const child: ChildProcess = spawn(
    '/usr/bin/redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes'].concat([
      '--maxmemory-policy',
      'noeviction',
    ]),
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  await new Promise<void>((resolve, reject) => {
    let seen = ''
    const onData = (data: Buffer) => {
      seen += data.toString()
      if (seen.includes('Ready to accept connections')) resolve()
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}):\n${seen}`)))
  })
  const cli = async (...args: string[]) =>
    (await run('redis-cli', ['-p', String(port), ...args], { maxBuffer: 16 << 20 })).stdout
  return {
    url: `redis://127.0.0.1:${port}`,
    cli,
    async memory() {
      const fields: Record<string, number> = {}
      for (const line of (await cli('INFO', 'memory')).split('\n')) {
        const [key, value] = line.trim().split(':')
        if (key && value !== undefined && /^\d+(\.\d+)?$/.test(value)) fields[key] = Number(value)
      }
      return fields
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGKILL')
      }),
  }
}
