import { IMAGE_CHANGES, type JsonSchema } from '@dataflow/sdk'

const imageRef: JsonSchema = {
  type: 'object',
  description: 'A prepared image, by reference: the bytes are resolved by the media store under `hash`.',
  required: ['kind', 'hash', 'mime', 'width', 'height', 'source', 'policy'],
  properties: {
    kind: { const: 'image' },
    hash: {
      type: 'string',
      description: 'sha256 of the bytes sent to models (of the file itself when sent as it is).',
    },
    mime: { type: 'string', enum: ['image/jpeg', 'image/png', 'image/webp'] },
    width: {
      type: 'integer',
      description: 'Width of the image sent (after resizing, when the pixel bounds required it).',
    },
    height: { type: 'integer', description: 'Height of the image sent.' },
    source: { type: 'string', description: 'The file it was made from.' },
    policy: { type: 'string', description: 'Key of the resize/encode policy.' },
    timestamp: { type: 'number', description: 'Video frames: position in the clip, in seconds.' },
    sent: {
      type: 'string',
      enum: ['original', 'encoded'],
      description: "original: the file's own bytes; encoded: decoded and encoded again, for the reasons in changes.",
    },
    changes: {
      type: 'array',
      items: { type: 'string', enum: [...IMAGE_CHANGES] },
      description: 'Why the image was encoded again; empty when it was sent as it is.',
    },
    frames: {
      type: 'object',
      description: 'Animated sources (GIF, WebP): frames used / frames in the file.',
      required: ['used', 'present'],
      properties: { used: { type: 'integer' }, present: { type: 'integer' } },
    },
  },
}

/** What the node writes: the SDK's PreparedMedia. */
export const outputSchema: JsonSchema = {
  type: 'object',
  required: ['modality', 'originalWidth', 'originalHeight'],
  properties: {
    modality: { type: 'string', enum: ['image', 'video'] },
    image: imageRef,
    video: {
      type: 'object',
      description: 'A video as uniformly sampled frames.',
      required: ['kind', 'source', 'durationSeconds', 'width', 'height', 'fps', 'frames'],
      properties: {
        kind: { const: 'video' },
        source: { type: 'string' },
        durationSeconds: { type: 'number' },
        width: { type: 'integer', description: 'Width of the source stream.' },
        height: { type: 'integer', description: 'Height of the source stream.' },
        fps: { type: 'number' },
        frames: { type: 'array', items: imageRef },
      },
    },
    originalWidth: { type: 'integer', description: 'Width of the source image or video before resizing.' },
    originalHeight: { type: 'integer', description: 'Height of the source image or video before resizing.' },
  },
}
