import type { Fingerprint } from './fingerprint.js'

/** Words per slot: fingerprint high, fingerprint low, id hash. */
const WORDS = 3
const MAX_LOAD = 0.75

/**
 * A hash set of 64-bit fingerprints, each with the 32-bit id hash of the item that brought it,
 * in one typed array (open addressing, linear probing): 12 bytes per slot, 16 to 32 bytes per
 * key whatever the size of the keys, and no object per entry for the garbage collector.
 */
export class FingerprintTable {
  private slots: Uint32Array
  private mask: number
  size = 0

  constructor(capacity = 1024) {
    this.slots = new Uint32Array(capacity * WORDS)
    this.mask = capacity - 1
  }

  /** The id hash stored with `fingerprint`, or -1 when it is not in the table. */
  get({ hi, lo }: Fingerprint): number {
    const { slots, mask } = this
    for (let slot = lo & mask; ; slot = (slot + 1) & mask) {
      const at = slot * WORDS
      if (slots[at] === 0 && slots[at + 1] === 0) return -1
      if (slots[at] === hi && slots[at + 1] === lo) return slots[at + 2]!
    }
  }

  /** Adds a fingerprint that is not in the table yet. */
  add(fingerprint: Fingerprint, idHash: number): void {
    if ((this.size + 1) / (this.mask + 1) > MAX_LOAD) this.grow()
    this.place(fingerprint.hi, fingerprint.lo, idHash)
    this.size++
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.slots.byteLength
  }

  private place(hi: number, lo: number, idHash: number): void {
    const { slots, mask } = this
    let slot = lo & mask
    while (slots[slot * WORDS] !== 0 || slots[slot * WORDS + 1] !== 0) slot = (slot + 1) & mask
    slots[slot * WORDS] = hi
    slots[slot * WORDS + 1] = lo
    slots[slot * WORDS + 2] = idHash
  }

  private grow(): void {
    const old = this.slots
    this.slots = new Uint32Array(old.length * 2)
    this.mask = (this.mask + 1) * 2 - 1
    for (let at = 0; at < old.length; at += WORDS) {
      if (old[at] !== 0 || old[at + 1] !== 0) this.place(old[at]!, old[at + 1]!, old[at + 2]!)
    }
  }
}
