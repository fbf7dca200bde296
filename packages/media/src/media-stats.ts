/** Counters of a media-tools instance, for benchmarks and run reports. */
export interface MediaStats {
  /** Full pixel decodes by sharp (source images, including those sent as they are, and video frames). */
  decodes: number
  /** Images encoded for models. With a warm cache this stays at one per (content, policy). */
  encodes: number
  /** Images sent with the file's own bytes (validated by a decode, not encoded). */
  originals: number
  /** prepareImage / prepareVideo calls answered from the prepared-reference cache, plus readImage calls answered from memory. */
  cacheHits: number
  /** Calls that joined a preparation of the same file and policy already in flight. */
  dedupedCalls: number
  /** readImage calls whose bytes had been evicted and were prepared again from the source. */
  rebuilds: number
  /** Encoded images dropped from memory to stay within `cacheBytes`. */
  evictions: number
  /** Encoded bytes held in memory now. */
  bytesHeld: number
  /** Encoded images held in memory now. */
  imagesHeld: number
  /** Image headers read (size and format checks before decoding). */
  headerReads: number
  /** ffprobe runs. */
  probes: number
  /** ffmpeg runs that extracted frames (one per video preparation or frame rebuild). */
  frameExtractions: number
  /** Frames extracted by those runs. */
  framesExtracted: number
}

/** The counters a media-tools instance increments; the cache-derived fields are filled in by `stats()`. */
export type MediaCounters = Omit<MediaStats, 'evictions' | 'bytesHeld' | 'imagesHeld'>

export function createMediaCounters(): MediaCounters {
  return {
    decodes: 0,
    encodes: 0,
    originals: 0,
    cacheHits: 0,
    dedupedCalls: 0,
    rebuilds: 0,
    headerReads: 0,
    probes: 0,
    frameExtractions: 0,
    framesExtracted: 0,
  }
}
