import type { SourcePosition } from '@dataflow/sdk'

/** Where a resumed run can start reading: every item before `seq` is finished, and the source continues after `position`. */
export interface SourceResume {
  seq: number
  position: SourcePosition
}

/**
 * Follows the finished prefix of the input: the lowest position whose item is not finished yet,
 * and the source position of the record right before it. Items finish out of order; only the
 * positions of records above the prefix are held (at most the window, plus items finished
 * early while an earlier one still runs).
 */
export class SourceProgress {
  private next: number
  private latest: SourcePosition | undefined
  private readonly finishedAbove = new Set<number>()
  private readonly positions = new Map<number, SourcePosition | null>()

  constructor(start: SourceResume | undefined) {
    this.next = start?.seq ?? 0
    this.latest = start?.position
  }

  /** A record was read at `seq`; `position` is where reading continues after it (none: the source cannot seek). */
  read(seq: number, position: SourcePosition | undefined): void {
    this.positions.set(seq, position ?? null)
  }

  /** The item at `seq` has its final outcome (now, or in an earlier session). */
  finished(seq: number): void {
    if (seq < this.next) return
    this.finishedAbove.add(seq)
    while (this.finishedAbove.delete(this.next)) {
      const position = this.positions.get(this.next)
      this.positions.delete(this.next)
      // A record without a position ends seeking: later positions could only be trusted after it.
      this.latest = position === null ? undefined : (position ?? this.latest)
      this.next++
    }
  }

  /** The resume point to commit now, when the source gave positions up to the prefix. */
  checkpoint(): SourceResume | undefined {
    return this.latest === undefined || this.next === 0 ? undefined : { seq: this.next, position: this.latest }
  }
}
