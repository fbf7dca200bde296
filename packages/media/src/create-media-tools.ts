import { availableParallelism } from 'node:os'
import { DataflowError } from '@dataflow/sdk'
import type {
  FramePolicy,
  ImageInfo,
  ImagePolicy,
  ImageRef,
  Logger,
  MediaTools,
  VideoInfo,
  VideoRef,
} from '@dataflow/sdk'
import { createInflight } from './create-inflight.js'
import { createLimiter } from './create-limiter.js'
import { extractFrames } from './extract-frames.js'
import { createFfmpegAdapter, FfmpegFailure, type FfmpegAdapter } from './ffmpeg-adapter.js'
import { fromPolicyKey, resolveImagePolicy, toPolicyKey, type ResolvedImagePolicy } from './image-policy.js'
import { createLruCache } from './lru-cache.js'
import { mediaInvalid, type MediaKind } from './media-errors.js'
import { createMediaCounters, type MediaStats } from './media-stats.js'
import { createMediaSource } from './media-source.js'
import { prepareImageBytes, type ImageInput, type PreparedBytes } from './prepare-image-bytes.js'
import { hashFile, sha256, statMediaFile } from './read-media-file.js'
import { readImageHeader, toImageInfo } from './read-image-header.js'
import { resolveFfmpegBinaries } from './resolve-ffmpeg-binaries.js'
import { sampleTimestamps } from './sample-timestamps.js'
import { toVideoInfo } from './to-video-info.js'

export interface MediaToolsOptions {
  /** Receives debug lines (binaries found, rebuilds). Default: silent. */
  logger?: Logger
  /** Upper bound of the encoded image bytes held in memory (LRU). Default 256 MiB. */
  cacheBytes?: number
  /** ffmpeg executable. Default: `ffmpeg` on PATH, else the optional @ffmpeg-installer/ffmpeg package. */
  ffmpegPath?: string
  /** ffprobe executable. Default: `ffprobe` on PATH, else the optional @ffprobe-installer/ffprobe package. */
  ffprobePath?: string
  /** Decodes and ffmpeg runs at the same time. Default: the number of CPUs. */
  concurrency?: number
  /** Upper bound of the decoded Parquet image columns held in memory (one row group's column each). Default 64 MiB. */
  parquetCacheBytes?: number
}

/** The SDK's MediaTools, backed by sharp and ffmpeg, with counters and a way to release memory. */
export interface DataflowMediaTools extends MediaTools {
  probeImage(path: string): Promise<ImageInfo>
  readMedia(path: string): Promise<Uint8Array>
  /** Waits for preparations in flight, then drops every cache. */
  close(): Promise<void>
  stats(): MediaStats
}

type PreparedImage = Omit<PreparedBytes, 'bytes'>

type StoredVideo = Omit<VideoRef, 'source'>

const DEFAULT_CACHE_BYTES = 256 * 1024 * 1024
// Items in flight span a few row groups (about 100 images each in HF datasets): a few of their image columns.
const DEFAULT_PARQUET_CACHE_BYTES = 64 * 1024 * 1024
// Small metadata records; bounded so that a run over millions of files keeps a fixed footprint.
const MAX_PREPARED_REFS = 100_000
const MAX_FILE_RECORDS = 10_000

/**
 * Creates the media tools of a run. Each image is validated, and encoded when it must be, once
 * per (file content, policy): later calls get the same ImageRef, concurrent calls share one
 * preparation, and `readImage` serves the bytes to send (the file's own or an encoding) from a
 * bounded LRU, rebuilding them from the source file when they were evicted. ffmpeg is looked up
 * on first video use only.
 */
export function createMediaTools(options: MediaToolsOptions = {}): DataflowMediaTools {
  const { logger } = options
  const counters = createMediaCounters()
  const limit = createLimiter(Math.max(1, options.concurrency ?? availableParallelism()))
  const inflight = createInflight()
  const bytes = createLruCache<string, Uint8Array>({
    maxWeight: options.cacheBytes ?? DEFAULT_CACHE_BYTES,
    weigh: (value) => value.byteLength,
  })
  const prepared = createLruCache<string, PreparedImage>({ maxWeight: MAX_PREPARED_REFS })
  const contentHashes = createLruCache<string, string>({ maxWeight: MAX_FILE_RECORDS })
  const videoInfos = createLruCache<string, VideoInfo>({ maxWeight: MAX_FILE_RECORDS })
  const videos = createLruCache<string, StoredVideo>({ maxWeight: MAX_FILE_RECORDS })
  const joined = () => counters.dedupedCalls++
  const sources = createMediaSource({ parquetCacheBytes: options.parquetCacheBytes ?? DEFAULT_PARQUET_CACHE_BYTES })
  /** Videos are read by ffmpeg from a file of their own. */
  const videoFile = (path: string): string => {
    const file = sources.filePath(path)
    if (file !== undefined) return file
    throw mediaInvalid(
      'video',
      path,
      'videos inside tar shards or Parquet cells are not supported: only images are read from containers',
    )
  }
  let adapter: Promise<FfmpegAdapter> | undefined

  const getAdapter = () => {
    adapter ??= resolveFfmpegBinaries({
      ...(options.ffmpegPath === undefined ? {} : { ffmpegPath: options.ffmpegPath }),
      ...(options.ffprobePath === undefined ? {} : { ffprobePath: options.ffprobePath }),
    }).then((binaries) => {
      logger?.debug(
        { ffmpeg: binaries.ffmpeg, ffprobe: binaries.ffprobe, origins: binaries.origins },
        'ffmpeg binaries resolved',
      )
      return createFfmpegAdapter(binaries)
    })
    adapter.catch(() => (adapter = undefined)) // let a later call retry, e.g. after ffmpeg was installed
    return adapter
  }

  /** sha256 of a video file, streamed, remembered per file identity (path, inode, size, mtime). */
  const videoContentHash = async (path: string): Promise<string> => {
    const identity = await statMediaFile('video', path)
    const known = contentHashes.get(identity.key)
    if (known !== undefined) return known
    const hash = await hashFile('video', path)
    contentHashes.set(identity.key, hash)
    return hash
  }

  /** Validates one image held in memory and makes the bytes to send; stores them. */
  const prepare = async (
    input: Uint8Array,
    label: string,
    policy: ResolvedImagePolicy,
    origin: ImageInput,
  ): Promise<PreparedBytes> => {
    const image = await prepareImageBytes(input, label, policy, origin, counters)
    bytes.set(image.hash, image.bytes)
    return image
  }

  const toImageRef = (image: PreparedImage, source: string, policy: string, timestamp?: number): ImageRef => ({
    kind: 'image',
    hash: image.hash,
    mime: image.mime,
    width: image.width,
    height: image.height,
    source,
    policy,
    ...(timestamp === undefined ? {} : { timestamp }),
    sent: image.sent,
    changes: [...image.changes],
    ...(image.frames === undefined ? {} : { frames: image.frames }),
  })

  const probeVideo = async (path: string): Promise<VideoInfo> => {
    const source = videoFile(path)
    const identity = await statMediaFile('video', source)
    const known = videoInfos.get(identity.key)
    if (known) return known
    return inflight.run(
      `probe\0${identity.key}`,
      async () => {
        const tools = await getAdapter()
        counters.probes++
        let probe
        try {
          probe = await tools.probe(source)
        } catch (error) {
          if (error instanceof FfmpegFailure)
            throw mediaInvalid('video', source, `it is not a readable video (ffprobe: ${error.detail})`, {}, error)
          throw error
        }
        const info = toVideoInfo(probe, source)
        videoInfos.set(identity.key, info)
        return info
      },
      joined,
    )
  }

  const extractAndEncode = async (source: string, timestamps: readonly number[], policy: ResolvedImagePolicy) => {
    const tools = await getAdapter()
    counters.frameExtractions++
    const frames = await extractFrames(tools, source, timestamps)
    counters.framesExtracted += frames.length
    return Promise.all(
      frames.map(async (frame) => ({
        timestamp: frame.timestamp,
        image: await prepare(frame.png, `${source} at ${frame.timestamp} s`, policy, { source: 'frame' }),
      })),
    )
  }

  const rebuild = async (ref: ImageRef): Promise<Uint8Array> => {
    counters.rebuilds++
    logger?.debug({ source: ref.source, hash: ref.hash, timestamp: ref.timestamp }, 'rebuilding evicted image bytes')
    const policy = fromPolicyKey(ref.policy)
    const kind: MediaKind = ref.timestamp === undefined ? 'image' : 'video'
    const image = await limit(async () => {
      if (ref.timestamp !== undefined) {
        await statMediaFile('video', ref.source)
        const [frame] = await extractAndEncode(ref.source, [ref.timestamp], policy)
        return frame!.image
      }
      await sources.identify('image', ref.source)
      const content = await sources.read('image', ref.source)
      // The file's own bytes were sent and it has not changed: it was validated when prepared.
      if (sha256(content) === ref.hash) {
        bytes.set(ref.hash, content)
        return { hash: ref.hash, bytes: content }
      }
      return prepare(content, ref.source, policy, { source: 'file' })
    })
    if (image.hash !== ref.hash) {
      throw mediaInvalid(
        kind,
        ref.source,
        'the file changed after it was prepared: its image no longer matches the reference; prepare the item again',
        {
          expectedHash: ref.hash,
          actualHash: image.hash,
        },
      )
    }
    return image.bytes
  }

  return {
    async prepareImage(path: string, policy?: ImagePolicy): Promise<ImageRef> {
      const resolved = resolveImagePolicy(policy)
      const policyKey = toPolicyKey(resolved)
      const source = sources.normalize(path)
      const identity = await sources.identify('image', source)
      const knownHash = contentHashes.get(identity.key)
      const known = knownHash === undefined ? undefined : prepared.get(`${knownHash}|${policyKey}`)
      if (known) {
        counters.cacheHits++
        return toImageRef(known, source, policyKey)
      }
      // Files are read inside the limiter, so that a burst of calls never holds more than
      // `concurrency` source files in memory. Callers for the same file share one run.
      const image = await inflight.run(
        `file\0${identity.key}|${policyKey}`,
        () =>
          limit(async () => {
            const content = await sources.read('image', source)
            const contentHash = sha256(content)
            contentHashes.set(identity.key, contentHash)
            const key = `${contentHash}|${policyKey}`
            const same = prepared.get(key) // the same content under another name
            if (same) {
              counters.cacheHits++
              return same
            }
            return inflight.run(
              key,
              async () => {
                const { bytes: _bytes, ...entry } = await prepare(content, source, resolved, {
                  source: 'file',
                  contentHash,
                })
                prepared.set(key, entry)
                return entry
              },
              joined,
            )
          }),
        joined,
      )
      return toImageRef(image, source, policyKey)
    },

    async probeImage(path: string): Promise<ImageInfo> {
      const source = sources.normalize(path)
      await sources.identify('image', source)
      counters.headerReads++
      return toImageInfo(
        await readImageHeader(sources.filePath(source) ?? (await sources.read('image', source)), source),
      )
    },

    probeVideo,

    async prepareVideo(path: string, policy: FramePolicy = {}): Promise<VideoRef> {
      const { frames = 8, maxFps = 2, ...imagePolicy } = policy
      if (!Number.isInteger(frames) || frames < 1 || !(maxFps > 0)) {
        throw new DataflowError(
          'DATAFLOW_CONFIG_INVALID',
          `invalid frame policy: frames must be a positive integer and maxFps above 0 (got frames=${frames}, maxFps=${maxFps})`,
          {
            hint: 'Fix the video settings of the media node.',
            details: { frames, maxFps },
          },
        )
      }
      const resolved = resolveImagePolicy(imagePolicy)
      const policyKey = toPolicyKey(resolved)
      const source = videoFile(path)
      const key = `${await videoContentHash(source)}|frames=${frames}&maxFps=${maxFps}|${policyKey}`
      const withSource = (video: StoredVideo): VideoRef => ({
        ...video,
        source,
        frames: video.frames.map((frame) => ({ ...frame, source })),
      })
      const known = videos.get(key)
      if (known) {
        counters.cacheHits++
        return withSource(known)
      }
      const video = await inflight.run(
        key,
        async () => {
          const info = await probeVideo(source)
          const timestamps = sampleTimestamps(info.durationSeconds, frames, maxFps)
          const encoded = await limit(() => extractAndEncode(source, timestamps, resolved))
          const stored: StoredVideo = {
            kind: 'video',
            durationSeconds: info.durationSeconds,
            width: info.width,
            height: info.height,
            fps: info.fps,
            frames: encoded.map(({ timestamp, image }) => toImageRef(image, source, policyKey, timestamp)),
          }
          videos.set(key, stored)
          return stored
        },
        joined,
      )
      return withSource(video)
    },

    async readMedia(path: string): Promise<Uint8Array> {
      return sources.read('image', sources.normalize(path))
    },

    async readImage(ref: ImageRef): Promise<Uint8Array> {
      const held = bytes.get(ref.hash)
      if (held) {
        counters.cacheHits++
        return held
      }
      return inflight.run(`read\0${ref.hash}`, () => rebuild(ref), joined)
    },

    async close() {
      await inflight.settled()
      for (const cache of [bytes, prepared, contentHashes, videoInfos, videos]) cache.clear()
      sources.clear()
    },

    stats: () => ({ ...counters, evictions: bytes.evictions, bytesHeld: bytes.weight, imagesHeld: bytes.size }),
  }
}
