import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)
const ip = (...args: string[]) => run('ip', args)

/** A hub namespace linked to each worker namespace by its own veth pair (10.<n>.<i+1>.0/24). */
export interface TestNetwork {
  hub: string
  workers: string[]
  /** The hub's address as worker i reaches it (over its veth pair). */
  hubAddress(worker: number): string
  /** Command prefix that runs a program inside a namespace. */
  exec(namespace: string): string[]
  remove(): Promise<void>
}

/**
 * Creates the namespaces, or says why it cannot (`ip netns add` fails without CAP_SYS_ADMIN,
 * e.g. in an unprivileged container). Names carry the pid: parallel test runs do not collide.
 */
export async function createTestNetwork(workers: number): Promise<TestNetwork | { unavailable: string }> {
  const tag = `df${process.pid}`
  const hub = `${tag}-hub`
  const names = Array.from({ length: workers }, (_, index) => `${tag}-w${index}`)
  const created: string[] = []
  const remove = async () => {
    for (const name of created.reverse()) await ip('netns', 'del', name).catch(() => undefined)
  }
  try {
    for (const name of [hub, ...names]) {
      await ip('netns', 'add', name)
      created.push(name)
      await ip('-n', name, 'link', 'set', 'lo', 'up')
    }
    for (const [index, name] of names.entries()) {
      const subnet = `10.${(process.pid % 200) + 20}.${index + 1}`
      await ip('link', 'add', 'name', `h${index}`, 'netns', hub, 'type', 'veth', 'peer', 'name', 'w', 'netns', name)
      await ip('-n', hub, 'addr', 'add', `${subnet}.1/24`, 'dev', `h${index}`)
      await ip('-n', name, 'addr', 'add', `${subnet}.2/24`, 'dev', 'w')
      await ip('-n', hub, 'link', 'set', `h${index}`, 'up')
      await ip('-n', name, 'link', 'set', 'w', 'up')
    }
  } catch (error) {
    await remove()
    return { unavailable: `network namespaces unavailable: ${(error as Error).message.split('\n')[0]}` }
  }
  return {
    hub,
    workers: names,
    hubAddress: (worker) => `10.${(process.pid % 200) + 20}.${worker + 1}.1`,
    exec: (namespace) => ['ip', 'netns', 'exec', namespace],
    remove,
  }
}
