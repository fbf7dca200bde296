/**
 * @dataflow/media: the SDK's MediaTools backed by sharp (images) and ffmpeg (video).
 * The engine creates one instance per run and injects it into nodes as `context.media`.
 */
export { createMediaTools, type DataflowMediaTools, type MediaToolsOptions } from './create-media-tools.js'
export type { MediaStats } from './media-stats.js'
export {
  DEFAULT_IMAGE_POLICY,
  fromPolicyKey,
  resolveImagePolicy,
  toPolicyKey,
  type ResolvedImagePolicy,
} from './image-policy.js'
export { smartResize, type ResizeTarget, type SmartResizeBounds } from './smart-resize.js'
export { sampleTimestamps } from './sample-timestamps.js'
export {
  resolveFfmpegBinaries,
  type BinaryOrigin,
  type FfmpegBinaries,
  type ResolveFfmpegOptions,
} from './resolve-ffmpeg-binaries.js'
