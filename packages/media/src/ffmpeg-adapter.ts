import { join } from 'node:path'
import ffmpeg from 'fluent-ffmpeg'
import type { FfmpegBinaries } from './resolve-ffmpeg-binaries.js'

/*
 * The only file that touches fluent-ffmpeg (archived upstream in 2025): replacing it with a
 * direct child_process implementation means rewriting this file alone.
 */

/** One stream as ffprobe reports it, reduced to what dataflow uses. */
export interface ProbedStream {
  type: string
  codec: string
  width: number
  height: number
  /** Display rotation in degrees (phone videos); frames come out already rotated. */
  rotation: number
  fps: number
  durationSeconds: number | undefined
  frameCount: number | undefined
  /** Cover art in an audio file: a video stream that is not a video. */
  attachedPicture: boolean
}

export interface ProbeResult {
  durationSeconds: number | undefined
  streams: ProbedStream[]
}

export interface FfmpegAdapter {
  /** Runs ffprobe; rejects with an {@link FfmpegFailure}. */
  probe(path: string): Promise<ProbeResult>
  /**
   * Extracts one frame at each timestamp (seconds) into `outDir` as PNG, in one ffmpeg process
   * (one accurate input seek per frame). Returns the output paths in order; a path whose file is
   * missing means no frame could be decoded at that time.
   */
  extractFrames(path: string, timestamps: readonly number[], outDir: string): Promise<string[]>
}

/** A failed ffprobe/ffmpeg run; `detail` is the tool's own last error line. */
export class FfmpegFailure extends Error {
  constructor(
    readonly tool: 'ffmpeg' | 'ffprobe',
    readonly detail: string,
  ) {
    super(`${tool} failed: ${detail}`)
    this.name = 'FfmpegFailure'
  }
}

export function createFfmpegAdapter(binaries: FfmpegBinaries): FfmpegAdapter {
  return {
    probe: (path) =>
      new Promise((resolve, reject) => {
        ffmpeg(path)
          .setFfprobePath(binaries.ffprobe)
          .ffprobe(['-v', 'error'], (error: Error | null, data: ffmpeg.FfprobeData) => {
            if (error) reject(new FfmpegFailure('ffprobe', lastLine(error.message, path)))
            else resolve(toProbeResult(data))
          })
      }),
    extractFrames: (path, timestamps, outDir) =>
      new Promise((resolve, reject) => {
        const command = ffmpeg().setFfmpegPath(binaries.ffmpeg)
        const outputs = timestamps.map((_, index) => join(outDir, `frame-${String(index).padStart(4, '0')}.png`))
        timestamps.forEach((timestamp, index) => {
          // One single-threaded decoder per frame: the frames already decode in parallel.
          command.input(path).seekInput(timestamp.toFixed(6)).inputOptions(['-threads', '1'])
          if (index === 0) command.inputOptions(['-v', 'error', '-nostdin'])
        })
        outputs.forEach((output, index) => {
          command.output(output).outputOptions(['-map', `${index}:v:0`, '-frames:v', '1', '-compression_level', '1'])
        })
        command
          .on('error', (error: Error, _stdout: string | null, stderr: string | null) => {
            reject(new FfmpegFailure('ffmpeg', lastLine(stderr || error.message, path)))
          })
          .on('end', () => resolve(outputs))
          .run()
      }),
  }
}

function toProbeResult(data: ffmpeg.FfprobeData): ProbeResult {
  return {
    durationSeconds: toNumber(data.format.duration),
    streams: data.streams.map((stream) => {
      const raw = stream as ffmpeg.FfprobeStream & { rotation?: unknown }
      return {
        type: stream.codec_type ?? 'unknown',
        codec: stream.codec_name ?? 'unknown',
        width: stream.width ?? 0,
        height: stream.height ?? 0,
        rotation:
          toNumber(raw.rotation) ?? toNumber((stream.tags as Record<string, unknown> | undefined)?.['rotate']) ?? 0,
        fps: toRate(stream.avg_frame_rate) ?? toRate(stream.r_frame_rate) ?? 0,
        durationSeconds: toNumber(stream.duration),
        frameCount: toNumber(stream.nb_frames),
        attachedPicture: stream.disposition?.attached_pic === 1,
      }
    }),
  }
}

function toNumber(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number.parseFloat(value) : Number.NaN
  return Number.isFinite(number) ? number : undefined
}

function toRate(value: string | undefined): number | undefined {
  if (!value) return undefined
  const [numerator, denominator] = value.split('/').map(Number)
  if (numerator === undefined || !(numerator > 0)) return undefined
  const rate = denominator === undefined ? numerator : numerator / denominator
  return Number.isFinite(rate) && rate > 0 ? rate : undefined
}

/** The last meaningful line of a tool's error output, without the file name it repeats. */
function lastLine(text: string, path: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !/exited with code/.test(line))
  const line = lines.at(-1) ?? text.trim()
  return line.startsWith(`${path}: `) ? line.slice(path.length + 2) : line
}
