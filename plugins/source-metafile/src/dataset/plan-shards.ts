/** A contiguous run of items of one dataset assigned to one shard. */
export interface PlannedSlice {
  /** Index into the list of weight arrays given to {@link planShards}. */
  datasetIndex: number
  start: number
  /** Exclusive. */
  end: number
  shard: number
  /** Sum of the item weights of the slice. */
  weight: number
}

/**
 * Splits items (datasets in order, items in order) into `shardCount` contiguous parts of about
 * equal total weight: an item goes to the shard in which the midpoint of its weight interval
 * falls. Shards never overlap, together cover every item, and each differs from the ideal
 * share (total / shardCount) by less than the heaviest item. A shard may be empty when there
 * are fewer items than shards.
 */
export function planShards(weights: readonly ArrayLike<number>[], shardCount: number): PlannedSlice[] {
  if (!Number.isInteger(shardCount) || shardCount < 1)
    throw new RangeError(`shard count must be a whole number >= 1, got ${shardCount}`)
  let total = 0
  for (const list of weights) for (let i = 0; i < list.length; i++) total += list[i]!
  const slices: PlannedSlice[] = []
  let before = 0
  weights.forEach((list, datasetIndex) => {
    let current: PlannedSlice | undefined
    for (let i = 0; i < list.length; i++) {
      const weight = list[i]!
      const shard = Math.min(shardCount - 1, Math.floor(((before + weight / 2) * shardCount) / total))
      before += weight
      if (current && current.shard === shard) {
        current.end = i + 1
        current.weight += weight
      } else {
        current = { datasetIndex, start: i, end: i + 1, shard, weight }
        slices.push(current)
      }
    }
  })
  return slices
}
