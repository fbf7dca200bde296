import { sha1Hex } from './hash.js'
import { badRequest } from './http-error.js'
import { readImageSize } from './image-size.js'

/** What the prompt model needs from an image or video part: a cache key and a token count. */
export interface MediaPart {
  kind: 'image' | 'video'
  /** `bytes:<sha1>` for data URLs (same bytes, same key), `url:<url>` for http(s) URLs. */
  key: string
  tokens: number
}

export interface MediaTokenSettings {
  imagePatchPx: number
  urlImageTokens: number
  videoTokens: number
}

const DATA_URL = /^data:([^,;]*)((?:;[^,;]*)*?);base64,/

function decodeDataUrl(url: string, param: string): Buffer {
  const header = DATA_URL.exec(url.slice(0, 256))
  if (header === null)
    throw badRequest(`${param}: only base64 data URLs (data:<mime>;base64,...) and http(s) URLs are supported.`, param)
  return Buffer.from(url.slice(header[0].length), 'base64')
}

/**
 * Reads an `image_url` / `video_url` part. Data-URL images are decoded just enough to read the
 * header: tokens = ceil(width / patch) * ceil(height / patch). http(s) URLs are not fetched and
 * cost a fixed number of tokens; so does every video.
 */
export function readMediaPart(
  kind: 'image' | 'video',
  url: string,
  settings: MediaTokenSettings,
  param: string,
): MediaPart {
  if (/^https?:\/\//i.test(url)) {
    return { kind, key: `url:${url}`, tokens: kind === 'image' ? settings.urlImageTokens : settings.videoTokens }
  }
  if (!url.startsWith('data:'))
    throw badRequest(`${param}: unsupported URL scheme; use a base64 data URL or an http(s) URL.`, param)
  const bytes = decodeDataUrl(url, param)
  if (bytes.length === 0) throw badRequest(`${param}: the data URL holds no bytes.`, param)
  const key = `bytes:${sha1Hex(bytes)}`
  if (kind === 'video') return { kind, key, tokens: settings.videoTokens }
  const size = readImageSize(bytes)
  if (size === undefined) {
    throw badRequest(
      `${param}: failed to load image: not a readable PNG, JPEG, WebP or GIF (the simulator reads the header to size the image).`,
      param,
    )
  }
  const patch = settings.imagePatchPx
  return { kind, key, tokens: Math.ceil(size.width / patch) * Math.ceil(size.height / patch) }
}
