import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'

export const REDIS_SERVER = '/usr/bin/redis-server'

/** True when the Debian redis-server is installed (`.ci/run` installs it). */
export const hasRedis = existsSync(REDIS_SERVER)

/** A free loopback TCP port (others run tests on this machine at the same time). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, host, () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

export interface TestRedis {
  url: string
  port: number
  /** SIGKILL, then the same server again on the same port and data folder (AOF replayed). */
  restart(): Promise<void>
  stop(): Promise<void>
}

/** A real Redis for one test: its own port and folder, AOF with fsync on every write, noeviction. */
export async function startRedis(dir: string, host = '127.0.0.1', wrap: string[] = []): Promise<TestRedis> {
  const port = await freePort(host === '127.0.0.1' ? host : '127.0.0.1')
  let child: ChildProcess | undefined
  const launch = () =>
    new Promise<void>((resolve, reject) => {
      const args = [
        REDIS_SERVER,
        '--port',
        String(port),
        '--bind',
        host,
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--maxmemory-policy',
        'noeviction',
        '--protected-mode',
        'no',
      ]
      const command = [...wrap, ...args]
      child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] })
      let seen = ''
      const onData = (data: Buffer) => {
        seen += data.toString()
        if (seen.includes('Ready to accept connections')) resolve()
      }
      child.stdout!.on('data', onData)
      child.stderr!.on('data', onData)
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}):\n${seen}`)))
    })
  const kill = () =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGKILL')
    })
  await launch()
  return {
    url: `redis://${host}:${port}`,
    port,
    async restart() {
      await kill()
      await launch()
    },
    stop: kill,
  }
}
