import { DataflowError } from '@dataflow/sdk'

export type MediaKind = 'image' | 'video'

const HINTS: Record<MediaKind, string> = {
  image: 'Replace or remove the file, or filter the item out upstream; the other items go on.',
  video: 'Check that the file plays (ffprobe <file>); replace or remove it, or filter the item out upstream.',
}

/** DATAFLOW_MEDIA_INVALID with a reason a user understands; `details.reason` repeats it for error records. */
export function mediaInvalid(
  kind: MediaKind,
  path: string,
  reason: string,
  details: Record<string, unknown> = {},
  cause?: unknown,
): DataflowError {
  return new DataflowError('DATAFLOW_MEDIA_INVALID', `cannot use ${kind} "${path}": ${reason}`, {
    hint: HINTS[kind],
    details: { path, reason, ...details },
    ...(cause === undefined ? {} : { cause }),
  })
}

/** Maps a file-system error (stat, read) to DATAFLOW_INPUT_NOT_FOUND or DATAFLOW_MEDIA_INVALID. */
export function toFileError(kind: MediaKind, path: string, error: unknown): DataflowError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new DataflowError('DATAFLOW_INPUT_NOT_FOUND', `${kind} file "${path}" does not exist`, {
      hint: 'Check the media path in the input record and the dataset root it is relative to.',
      details: { path },
      cause: error,
    })
  }
  if (code === 'EISDIR') return mediaInvalid(kind, path, 'the path is a folder, not a file', {}, error)
  if (code === 'EACCES' || code === 'EPERM')
    return mediaInvalid(kind, path, 'the file cannot be read (permission denied)', {}, error)
  return mediaInvalid(
    kind,
    path,
    `the file cannot be read (${error instanceof Error ? error.message : String(error)})`,
    {},
    error,
  )
}

/** An SVG whose DOCTYPE declares entities or loads an external DTD: refused whatever the policy. */
export function svgEntitiesRefused(path: string, cause?: unknown): DataflowError {
  return mediaInvalid(
    'image',
    path,
    'the file is an SVG that declares XML entities (<!ENTITY> or an external DTD); entities are refused because ' +
      'they can expand to gigabytes or read local files (XXE)',
    { format: 'svg', svg: 'entities' },
    cause,
  )
}

/** Names the library that decodes a format, for messages about what it reported. */
export function decoderName(format: string): string {
  const names: Record<string, string> = {
    jpeg: 'the JPEG decoder (libjpeg)',
    png: 'the PNG decoder (libpng)',
    webp: 'the WebP decoder (libwebp)',
    gif: 'the GIF decoder (libnsgif)',
    heif: 'the HEIF/AVIF decoder (libheif)',
    tiff: 'the TIFF decoder (libtiff)',
    svg: 'the SVG renderer (librsvg)',
  }
  return names[format] ?? `the ${format} decoder`
}

/** True when a JPEG or PNG file lacks its end marker (JPEG EOI, PNG IEND): the file was cut short. */
export function isCutShort(bytes: Uint8Array): boolean {
  const length = bytes.length
  if (length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    // Some encoders pad after EOI: look for it near the end.
    const tail = bytes.subarray(Math.max(0, length - 64))
    for (let index = tail.length - 2; index >= 0; index--)
      if (tail[index] === 0xff && tail[index + 1] === 0xd9) return false
    return true
  }
  if (length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
    return Buffer.from(bytes.subarray(Math.max(0, length - 16))).indexOf('IEND') < 0
  }
  return false
}

/** Message prefixes of libvips' loaders, by the format they read. */
const LOADER_PREFIXES: Record<string, RegExp> = {
  jpeg: /^(VipsJpeg|jpegload|VipsForeignLoadJpeg)/i,
  png: /^(vipspng|pngload|spng|VipsForeignLoadPng)/i,
  webp: /^(webp|VipsForeignLoadWebp)/i,
  gif: /^(gifload|nsgif|VipsForeignLoadNsgif)/i,
  heif: /^(heif|VipsForeignLoadHeif)/i,
  tiff: /^(tiff|VipsForeignLoadTiff)/i,
}

/** The format of the bytes from their magic number, for the formats whose loaders we can tell apart. */
function magicFormat(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg'
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png'
  return undefined
}

/**
 * The lines of a libvips/sharp error message, without repeats and without the lines of another
 * format's loader. libvips' error buffer is shared by all threads, so a failure can carry what a
 * concurrent decode of another file reported (a corrupt PNG "premature end of JPEG image").
 */
export function decoderMessageLines(error: unknown, bytes?: Uint8Array): string[] {
  const message = error instanceof Error ? error.message : String(error)
  const own = bytes === undefined ? undefined : magicFormat(bytes)
  const foreign = Object.entries(LOADER_PREFIXES)
    .filter(([format]) => own !== undefined && format !== own)
    .map(([, prefix]) => prefix)
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !foreign.some((prefix) => prefix.test(line)))
  return [...new Set(lines)]
}

/**
 * Turns a libvips/sharp decoding failure into a sentence for users. libvips words the same
 * failure differently from one run to the next (a cut-short JPEG can surface as "Unknown
 * error"), so the file's own structure decides when the bytes are at hand: a JPEG or PNG is
 * truncated exactly when its end marker is missing.
 */
export function describeDecodeError(error: unknown, bytes?: Uint8Array): string {
  const lines = decoderMessageLines(error, bytes)
  const message = lines.join('\n')
  const detail = lines.join('; ')
  if (/unsupported image format/i.test(message)) return 'the content is not a supported image format'
  const structural = bytes === undefined ? undefined : magicFormat(bytes)
  const truncated =
    structural !== undefined
      ? isCutShort(bytes!)
      : /premature end|truncated|unexpected end|not enough data|end of (file|stream)/i.test(message)
  if (truncated) return `the image data is truncated (the file was cut short): ${detail}`
  if (/exceeds pixel limit/i.test(message))
    return 'the image has more pixels than the decompression-bomb limit (maxInputPixels)'
  return `the image data is corrupt and cannot be decoded: ${detail}`
}

/** True when the first bytes are UTF-8 text rather than binary data (a text file named .jpg). */
export function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 512)
  if (sample.length === 0) return false
  // A multi-byte character may be cut at the end of the sample: allow up to 3 bytes to be dropped.
  for (let cut = 0; cut <= Math.min(3, sample.length - 1); cut++) {
    let text: string
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, sample.length - cut))
    } catch {
      continue
    }
    const controls = [...text].filter((char) => char < ' ' && char !== '\n' && char !== '\r' && char !== '\t').length
    return controls === 0
  }
  return false
}
