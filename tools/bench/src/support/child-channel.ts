import { fork, type ChildProcess } from 'node:child_process'

/** A forked Node process answering requests over IPC (`{ id, ...request }` -> `{ id, result | error }`). */
export interface ChildChannel {
  request<T>(message: Record<string, unknown>): Promise<T>
  /** Resolves with the exit code once the child is gone. */
  readonly exited: Promise<number | null>
  readonly pid: number | undefined
  kill(): void
}

interface Reply {
  id: number
  result?: unknown
  error?: string
}

/** Forks `module` with `execArgv` and talks to it; a child that dies fails every pending request. */
export function forkChild(module: string, execArgv: string[] = [], env: NodeJS.ProcessEnv = process.env): ChildChannel {
  const child: ChildProcess = fork(module, [], { execArgv, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()
  let next = 0
  child.on('message', (message: Reply) => {
    const waiter = pending.get(message.id)
    if (!waiter) return
    pending.delete(message.id)
    if (message.error !== undefined) waiter.reject(new Error(message.error))
    else waiter.resolve(message.result)
  })
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      for (const waiter of pending.values())
        waiter.reject(new Error(`${module} exited (code ${code}, signal ${signal}) before answering`))
      pending.clear()
      resolve(code)
    })
  })
  return {
    request<T>(message: Record<string, unknown>) {
      const id = next++
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve, reject })
        child.send({ ...message, id })
      })
    },
    exited,
    pid: child.pid,
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    },
  }
}

/**
 * The child side: answers each request with `handler`. `{ type: 'exit' }` ends the process
 * (normally, so that `--cpu-prof` writes its profile); so does losing the parent.
 */
export function serveParent(handler: (message: Record<string, unknown>) => Promise<unknown>): void {
  process.on('disconnect', () => process.exit(0))
  process.on('message', (message: Record<string, unknown> & { id: number }) => {
    if (message['type'] === 'exit') {
      process.exit(0)
    }
    handler(message).then(
      (result) => process.send?.({ id: message.id, result }),
      (error: unknown) =>
        process.send?.({
          id: message.id,
          error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error),
        }),
    )
  })
}
