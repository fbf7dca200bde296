import { createHash } from 'node:crypto'
import type { FramePolicy, ImagePolicy, ImageRef, MediaTools, VideoRef } from '../media.js'

/** MediaTools for unit tests: no decoding, refs derived from the path. Use @dataflow/media for real files. */
export function createFakeMedia(size: { width: number; height: number } = { width: 448, height: 448 }): MediaTools {
  const ref = (path: string, timestamp?: number): ImageRef => ({
    kind: 'image',
    hash: createHash('sha256')
      .update(`${path}#${timestamp ?? ''}`)
      .digest('hex'),
    mime: 'image/jpeg',
    width: size.width,
    height: size.height,
    source: path,
    policy: 'fake',
    ...(timestamp === undefined ? {} : { timestamp }),
  })
  return {
    prepareImage: async (path: string, _policy?: ImagePolicy) => ref(path),
    probeImage: async () => ({ width: size.width, height: size.height, format: 'jpeg', pages: 1 }),
    probeVideo: async () => ({
      durationSeconds: 4,
      width: size.width,
      height: size.height,
      fps: 25,
      codec: 'h264',
      hasVideo: true,
    }),
    prepareVideo: async (path: string, policy?: FramePolicy): Promise<VideoRef> => {
      const frames = policy?.frames ?? 8
      return {
        kind: 'video',
        source: path,
        durationSeconds: 4,
        width: size.width,
        height: size.height,
        fps: 25,
        frames: Array.from({ length: frames }, (_, i) => ref(path, (4 * (i + 0.5)) / frames)),
      }
    },
    readImage: async () => new Uint8Array(),
  }
}
