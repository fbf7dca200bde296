import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FfmpegFailure, type FfmpegAdapter } from './ffmpeg-adapter.js'
import { mediaInvalid } from './media-errors.js'

/** One decoded frame as PNG bytes, before resizing. */
export interface ExtractedFrame {
  timestamp: number
  png: Buffer
}

/**
 * Extracts frames at the given times with one ffmpeg run into a private temporary folder,
 * reads them and removes the folder. A time where no frame decodes is DATAFLOW_MEDIA_INVALID.
 */
export async function extractFrames(
  adapter: FfmpegAdapter,
  path: string,
  timestamps: readonly number[],
): Promise<ExtractedFrame[]> {
  const folder = await mkdtemp(join(tmpdir(), 'dataflow-frames-'))
  try {
    let outputs: string[]
    try {
      outputs = await adapter.extractFrames(path, timestamps, folder)
    } catch (error) {
      if (error instanceof FfmpegFailure)
        throw mediaInvalid('video', path, `its frames cannot be decoded (ffmpeg: ${error.detail})`, {}, error)
      throw error
    }
    return await Promise.all(
      outputs.map(async (output, index) => {
        const timestamp = timestamps[index]!
        try {
          return { timestamp, png: await readFile(output) }
        } catch (error) {
          throw mediaInvalid(
            'video',
            path,
            `no frame could be decoded at ${timestamp} s: the video is truncated or corrupt`,
            { timestamp },
            error,
          )
        }
      }),
    )
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}
