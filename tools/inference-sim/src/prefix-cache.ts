/** One hashed block of a prompt: the hash covers this block and every block before it. */
export interface PromptBlock {
  hash: string
  tokens: number
}

/**
 * An LRU of prompt-prefix hashes, sized in tokens like vLLM's KV-cache blocks.
 * A prompt's cached tokens are those of its longest run of leading blocks already seen.
 */
export interface PrefixCache {
  /** Tokens of the leading blocks already cached; refreshes their recency. */
  match(blocks: readonly PromptBlock[]): number
  /** Records the blocks as cached, evicting the least recently used beyond capacity. */
  insert(blocks: readonly PromptBlock[]): void
  clear(): void
  readonly tokens: number
}

export function createPrefixCache(capacityTokens: number): PrefixCache {
  // Map iteration order is insertion order: re-inserting a key makes it the most recent.
  const entries = new Map<string, number>()
  let tokens = 0
  const touch = (block: PromptBlock) => {
    const existing = entries.get(block.hash)
    if (existing !== undefined) {
      entries.delete(block.hash)
      tokens -= existing
    }
    entries.set(block.hash, block.tokens)
    tokens += block.tokens
  }
  return {
    match(blocks) {
      let cached = 0
      for (const block of blocks) {
        if (!entries.has(block.hash)) break
        touch(block)
        cached += block.tokens
      }
      return cached
    },
    insert(blocks) {
      for (const block of blocks) {
        if (block.tokens > capacityTokens) break
        touch(block)
      }
      for (const [hash, size] of entries) {
        if (tokens <= capacityTokens) break
        entries.delete(hash)
        tokens -= size
      }
    },
    clear() {
      entries.clear()
      tokens = 0
    },
    get tokens() {
      return tokens
    },
  }
}
