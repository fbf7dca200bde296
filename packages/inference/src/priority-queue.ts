/** A handle to a queued value, for removing it before it is popped. */
export interface QueueEntry<T> {
  readonly value: T
}

export interface PriorityQueue<T> {
  readonly size: number
  push(value: T): QueueEntry<T>
  /** The first value in order, or undefined when empty. */
  peek(): T | undefined
  pop(): T | undefined
  /** Removes a queued entry; false if it was already popped or removed. */
  remove(entry: QueueEntry<T>): boolean
}

interface HeapEntry<T> extends QueueEntry<T> {
  index: number
  readonly order: number
}

/**
 * A binary min-heap ordered by `before(a, b)` (true when a goes first); equal values leave in
 * insertion order. Push, pop and remove are O(log n).
 */
export function createPriorityQueue<T>(before: (a: T, b: T) => boolean): PriorityQueue<T> {
  const heap: HeapEntry<T>[] = []
  let inserted = 0
  const first = (a: HeapEntry<T>, b: HeapEntry<T>) =>
    before(a.value, b.value) || (!before(b.value, a.value) && a.order < b.order)
  const place = (entry: HeapEntry<T>, index: number) => {
    heap[index] = entry
    entry.index = index
  }
  const siftUp = (index: number) => {
    const entry = heap[index]!
    while (index > 0) {
      const parent = (index - 1) >> 1
      if (!first(entry, heap[parent]!)) break
      place(heap[parent]!, index)
      index = parent
    }
    place(entry, index)
  }
  const siftDown = (index: number) => {
    const entry = heap[index]!
    for (;;) {
      const left = 2 * index + 1
      if (left >= heap.length) break
      const right = left + 1
      const child = right < heap.length && first(heap[right]!, heap[left]!) ? right : left
      if (!first(heap[child]!, entry)) break
      place(heap[child]!, index)
      index = child
    }
    place(entry, index)
  }
  const removeAt = (index: number): HeapEntry<T> => {
    const entry = heap[index]!
    const last = heap.pop()!
    entry.index = -1
    if (index < heap.length) {
      place(last, index)
      siftDown(index)
      siftUp(last.index)
    }
    return entry
  }
  return {
    get size() {
      return heap.length
    },
    push(value) {
      const entry: HeapEntry<T> = { value, index: heap.length, order: inserted++ }
      heap.push(entry)
      siftUp(entry.index)
      return entry
    },
    peek: () => heap[0]?.value,
    pop: () => (heap.length === 0 ? undefined : removeAt(0).value),
    remove(entry) {
      const index = (entry as HeapEntry<T>).index
      if (index < 0 || heap[index] !== entry) return false
      removeAt(index)
      return true
    },
  }
}
