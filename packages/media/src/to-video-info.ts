import type { VideoInfo } from '@dataflow/sdk'
import type { ProbeResult } from './ffmpeg-adapter.js'
import { mediaInvalid } from './media-errors.js'

/** Picks the first real video stream; throws DATAFLOW_MEDIA_INVALID when there is none or it has no size or duration. */
export function toVideoInfo(probe: ProbeResult, path: string): VideoInfo {
  const stream = probe.streams.find((candidate) => candidate.type === 'video' && !candidate.attachedPicture)
  if (!stream) {
    const found = probe.streams.map((candidate) => (candidate.attachedPicture ? 'cover art' : candidate.type))
    throw mediaInvalid(
      'video',
      path,
      `the file has no video stream (found: ${found.length > 0 ? found.join(', ') : 'no streams'})`,
      { streams: found },
    )
  }
  if (!(stream.width > 0 && stream.height > 0))
    throw mediaInvalid('video', path, 'the video stream has no frame size', { codec: stream.codec })
  const durationSeconds = stream.durationSeconds ?? probe.durationSeconds
  if (durationSeconds === undefined || !(durationSeconds > 0)) {
    throw mediaInvalid(
      'video',
      path,
      `the video stream (${stream.codec}) has no duration: it is a still image or a broken stream`,
      { codec: stream.codec },
    )
  }
  const rotated = Math.abs(stream.rotation) % 180 === 90
  return {
    durationSeconds,
    width: rotated ? stream.height : stream.width,
    height: rotated ? stream.width : stream.height,
    fps: stream.fps,
    codec: stream.codec,
    hasVideo: true,
  }
}
