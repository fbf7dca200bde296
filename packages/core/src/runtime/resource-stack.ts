/**
 * Cleanups of resources opened one after the other, run in reverse order by one `close()`:
 * whatever step of opening failed, exactly what was opened gets closed. Node 20 has no
 * `AsyncDisposableStack`; this is the part of it the runtime needs.
 */
export class ResourceStack {
  private readonly cleanups: Array<() => unknown> = []
  private closed = false

  /** Registers a cleanup; it runs before every cleanup registered earlier. */
  defer(cleanup: () => unknown): void {
    if (this.closed) throw new Error('internal: ResourceStack.defer after close')
    this.cleanups.push(cleanup)
  }

  /**
   * Runs every cleanup, last registered first, each even when an earlier one failed; rejects with
   * the first failure once all ran. Later calls do nothing.
   */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    let failure: { error: unknown } | undefined
    for (let index = this.cleanups.length - 1; index >= 0; index--) {
      try {
        await this.cleanups[index]!()
      } catch (error) {
        failure ??= { error }
      }
    }
    this.cleanups.length = 0
    if (failure) throw failure.error
  }
}
