import sharp from 'sharp'
import type { DataflowError } from '@dataflow/sdk'
import type { ResolvedImagePolicy } from './image-policy.js'
import { decoderMessageLines, decoderName, describeDecodeError, isCutShort, mediaInvalid } from './media-errors.js'

/** sharp's `failOn` for a policy: decoder warnings fail the image unless the policy relaxes it. */
export function toFailOn(policy: ResolvedImagePolicy): 'warning' | 'error' {
  return policy.decoderWarnings === 'error' ? 'warning' : 'error'
}

/**
 * The error for a failed decode. When warnings were errors, the image is decoded once more with
 * errors only: if that succeeds, a warning stopped it (libjpeg's "Corrupt JPEG data: ..." on
 * garbled scan data behind fine headers), and the message names the decoder and what it reported.
 */
export async function toDecodeFailure(
  error: unknown,
  bytes: Uint8Array,
  path: string,
  format: string,
  policy: ResolvedImagePolicy,
): Promise<DataflowError> {
  const reason = describeDecodeError(error, bytes)
  if (toFailOn(policy) === 'warning' && !isCutShort(bytes) && !/truncated/.test(reason)) {
    const recovers = await sharp(bytes, { limitInputPixels: policy.maxInputPixels, failOn: 'error' })
      .raw()
      .toBuffer()
      .then(
        () => true,
        () => false,
      )
    if (recovers) {
      const warning = decoderMessageLines(error, bytes)[0] ?? String(error)
      return mediaInvalid(
        'image',
        path,
        `${decoderName(format)} reports damaged image data: "${warning}"; the decoded picture would be garbled. ` +
          'Decoder warnings are errors by default (decoderWarnings: ignore uses what the decoder recovers)',
        { decoder: decoderName(format), warning },
        error,
      )
    }
  }
  return mediaInvalid('image', path, reason, {}, error)
}
