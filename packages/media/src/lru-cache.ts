/** A least-recently-used map bounded by the total weight of its values. */
export interface LruCache<K, V> {
  /** The value, marked as most recently used; undefined when absent. */
  get(key: K): V | undefined
  has(key: K): boolean
  /** Stores the value, evicting the least recently used ones to stay within the bound. A value heavier than the bound is not stored. */
  set(key: K, value: V): void
  delete(key: K): boolean
  clear(): void
  readonly size: number
  /** Total weight of the values held. */
  readonly weight: number
  /** Values evicted to make room since creation. */
  readonly evictions: number
}

export interface LruCacheOptions<V> {
  /** Upper bound of the total weight. */
  maxWeight: number
  /** Weight of one value. Default: 1 (the bound is then a number of entries). */
  weigh?: (value: V) => number
  /** Called with each value evicted to make room. */
  onEvict?: (value: V) => void
}

export function createLruCache<K, V>(options: LruCacheOptions<V>): LruCache<K, V> {
  const { maxWeight, weigh = () => 1, onEvict } = options
  const entries = new Map<K, { value: V; weight: number }>()
  let total = 0
  let evictions = 0
  const remove = (key: K) => {
    const entry = entries.get(key)
    if (!entry) return undefined
    entries.delete(key)
    total -= entry.weight
    return entry
  }
  return {
    get(key) {
      const entry = entries.get(key)
      if (!entry) return undefined
      entries.delete(key)
      entries.set(key, entry)
      return entry.value
    },
    has: (key) => entries.has(key),
    set(key, value) {
      remove(key)
      const weight = weigh(value)
      if (weight > maxWeight) return
      // Map iteration order is insertion order: the first key is the least recently used.
      for (const [oldest, entry] of entries) {
        if (total + weight <= maxWeight) break
        remove(oldest)
        evictions++
        onEvict?.(entry.value)
      }
      entries.set(key, { value, weight })
      total += weight
    },
    delete: (key) => remove(key) !== undefined,
    clear() {
      entries.clear()
      total = 0
    },
    get size() {
      return entries.size
    },
    get weight() {
      return total
    },
    get evictions() {
      return evictions
    },
  }
}
