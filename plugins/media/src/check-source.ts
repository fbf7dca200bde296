import { reject, type Rejection } from '@dataflow/sdk'
import type { MediaNodeConfig } from './config-schema.js'

/** The paper's image source filters (short edge, aspect ratio); undefined when the image passes. */
export function checkImageSource(width: number, height: number, config: MediaNodeConfig): Rejection | undefined {
  const shortEdge = Math.min(width, height)
  if (config.minShortEdge !== undefined && shortEdge < config.minShortEdge) {
    return reject(`image short edge is ${shortEdge} px, below minShortEdge ${config.minShortEdge}`, {
      details: { width, height, shortEdge, minShortEdge: config.minShortEdge },
    })
  }
  const aspectRatio = Math.max(width, height) / shortEdge
  if (config.maxAspectRatio !== undefined && aspectRatio > config.maxAspectRatio) {
    return reject(
      `image aspect ratio is ${aspectRatio.toFixed(2)}:1 (${width}x${height}), above maxAspectRatio ${config.maxAspectRatio}`,
      {
        details: {
          width,
          height,
          aspectRatio: Math.round(aspectRatio * 1000) / 1000,
          maxAspectRatio: config.maxAspectRatio,
        },
      },
    )
  }
  return undefined
}

/** The video resolution filter ("source videos below 480p are filtered out"); undefined when the video passes. */
export function checkVideoSource(width: number, height: number, config: MediaNodeConfig): Rejection | undefined {
  const resolution = Math.min(width, height)
  if (config.minVideoHeight > 0 && resolution < config.minVideoHeight) {
    return reject(`video is ${resolution}p (${width}x${height}), below minVideoHeight ${config.minVideoHeight}p`, {
      details: { width, height, resolution, minVideoHeight: config.minVideoHeight },
    })
  }
  return undefined
}
