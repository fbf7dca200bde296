/** Shares one running promise between concurrent callers asking for the same key. */
export interface Inflight {
  /** Runs `task` unless a task for `key` is already running, in which case its promise is returned and `onJoin` is called. */
  run<T>(key: string, task: () => Promise<T>, onJoin?: () => void): Promise<T>
  /** Resolves when every task running now has settled. */
  settled(): Promise<void>
}

export function createInflight(): Inflight {
  const running = new Map<string, Promise<unknown>>()
  return {
    run<T>(key: string, task: () => Promise<T>, onJoin?: () => void): Promise<T> {
      const existing = running.get(key)
      if (existing) {
        onJoin?.()
        return existing as Promise<T>
      }
      const promise = task().finally(() => running.delete(key))
      running.set(key, promise)
      return promise
    },
    async settled() {
      await Promise.allSettled([...running.values()])
    },
  }
}
