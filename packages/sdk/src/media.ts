/**
 * A prepared image, travelling by reference: JSON-serialisable, no pixels inside.
 * The encoded bytes live in the run's media store under `hash`; the inference layer
 * resolves them when a request is sent. `source` + `policy` let the store rebuild them.
 */
export interface ImageRef {
  kind: 'image'
  /** sha256 (hex) of the bytes sent to models: of the file itself when `sent` is `original`. */
  hash: string
  mime: 'image/jpeg' | 'image/png' | 'image/webp'
  /**
   * Size of the image sent, after resizing when the policy's pixel bounds required it. A server
   * with a Qwen-VL processor rounds both sides to multiples of its patch factor on its side.
   */
  width: number
  height: number
  /**
   * `original`: the file's own bytes are sent, unchanged; `encoded`: the image was decoded and
   * encoded again, for the reasons in `changes`. Absent in references made before it existed.
   */
  sent?: 'original' | 'encoded'
  /** Why the image was encoded again (empty or absent when `sent` is `original`). */
  changes?: ImageChange[]
  /** Animated sources (GIF, WebP): frames used / frames in the file. Absent for still images. */
  frames?: { used: number; present: number }
  /** The file it was made from. */
  source: string
  /** Key of the resize/encode policy that produced it. */
  policy: string
  /** For video frames: position in the clip, in seconds. */
  timestamp?: number
}

/**
 * Why an image was encoded again rather than sent as it is ({@link ImageChange}): `resize` (outside the policy's pixel
 * bounds), `rotate` (EXIF orientation), `format` (not JPEG, PNG or WebP: AVIF, GIF, HEIF, TIFF,
 * SVG...), `colour` (CMYK, 16-bit, or a colour profile other than sRGB), `transparency` (see-through
 * pixels, flattened for JPEG), `animation` (only the first frame is kept), `frame` (a frame
 * extracted from a video), `policy` (the policy asks to encode every image: `sendOriginal: false`).
 */
export const IMAGE_CHANGES = [
  'resize',
  'rotate',
  'format',
  'colour',
  'transparency',
  'animation',
  'frame',
  'policy',
] as const
export type ImageChange = (typeof IMAGE_CHANGES)[number]

/** A video prepared as uniformly sampled frames. */
export interface VideoRef {
  kind: 'video'
  source: string
  durationSeconds: number
  /** Size of the source stream. */
  width: number
  height: number
  fps: number
  frames: ImageRef[]
}

/** What a media node writes: the item's prepared image or video. */
export interface PreparedMedia {
  modality: 'image' | 'video'
  image?: ImageRef
  video?: VideoRef
  /** Size of the original media before resizing. */
  originalWidth: number
  originalHeight: number
}

/** How an image is resized and encoded before it is sent to a model. */
export interface ImagePolicy {
  /** Upper bound of width x height after resizing. Default 1003520 (1280 x 28 x 28). */
  maxPixels?: number
  /** Lower bound of width x height; smaller images are upscaled. Default 3136 (4 x 28 x 28). */
  minPixels?: number
  /** Both sides become multiples of this (28 for Qwen2.5-VL). Default 28. */
  factor?: number
  /**
   * Encoding of images that must be encoded again (and of video frames); JPEG flattens
   * transparency on white. Default jpeg.
   */
  format?: 'jpeg' | 'png' | 'webp'
  /** Encoder quality (jpeg, webp). Default 90. */
  quality?: number
  /**
   * Send a JPEG, PNG or WebP file's own bytes when it needs no change: within the pixel bounds,
   * upright, 8-bit sRGB, opaque (or `format` keeps transparency) and still. `false` encodes every
   * image with `format` and `quality`. Default true.
   */
  sendOriginal?: boolean
  /**
   * What a decoder warning (libjpeg's "Corrupt JPEG data", a damaged PNG chunk...) means:
   * `error` makes the image an error, `ignore` uses the pixels the decoder recovered. Default error.
   */
  decoderWarnings?: 'error' | 'ignore'
  /**
   * SVG files: `refuse` them, or `rasterize` those without XML entities and external references
   * (rendered at their own size). Default refuse.
   */
  svg?: 'refuse' | 'rasterize'
  /** Largest accepted input, in pixels, before decoding (decompression-bomb guard). Default 178956970 (sharp's default). */
  maxInputPixels?: number
  /** Largest accepted long/short side ratio. Default 200. */
  maxAspectRatio?: number
}

/** How frames are sampled from a video. */
export interface FramePolicy extends ImagePolicy {
  /** Number of frames to sample uniformly. Default 8. */
  frames?: number
  /** Never sample faster than this many frames per second. Default 2. */
  maxFps?: number
}

/** Facts about a video stream, from ffprobe. */
export interface VideoInfo {
  durationSeconds: number
  width: number
  height: number
  fps: number
  codec: string
  hasVideo: boolean
}

/** Facts about an image file, read from its header without decoding the pixels. */
export interface ImageInfo {
  /** Size as displayed, after EXIF orientation. */
  width: number
  height: number
  /** Format detected from the content, whatever the file extension (jpeg, png, webp, gif, heif, ...). */
  format: string
  /** Frames in the file (animated GIF/WebP); 1 for a still image. */
  pages: number
}

/** Media tools injected into nodes. Every failure is a DataflowError (DATAFLOW_MEDIA_INVALID, DATAFLOW_INPUT_NOT_FOUND). */
export interface MediaTools {
  /**
   * Validates the image (a full decode) once per (file content, policy); sends the file's own
   * bytes when they need no change, else orients (EXIF), converts, resizes and encodes it.
   */
  prepareImage(path: string, policy?: ImagePolicy): Promise<ImageRef>
  /**
   * Reads an image's header (size after EXIF orientation, format) without decoding it, so that
   * source filters can reject an item cheaply. Optional: implementations made before it may lack it.
   */
  probeImage?(path: string): Promise<ImageInfo>
  /** Reads a video's stream facts without decoding it. */
  probeVideo(path: string): Promise<VideoInfo>
  /** Samples frames uniformly and prepares each like an image. */
  prepareVideo(path: string, policy?: FramePolicy): Promise<VideoRef>
  /** The encoded bytes of a prepared image (rebuilt from its source if evicted). */
  readImage(ref: ImageRef): Promise<Uint8Array>
  /**
   * The bytes of a media file as stored, not decoded: a file path or a media locator (tar member,
   * Parquet cell; see `toMediaLocator`). Sinks use it to copy images as received. Optional:
   * implementations made before it may lack it.
   */
  readMedia?(path: string): Promise<Uint8Array>
}
