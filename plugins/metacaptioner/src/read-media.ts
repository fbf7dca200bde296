import { DataflowError, type NodeInput, type PreparedMedia } from '@dataflow/sdk'

/** The PreparedMedia at `path`; an item without one cannot be shown to a model. */
export function readMedia(input: NodeInput, path: string): PreparedMedia {
  const value = input.get(path)
  if (typeof value === 'object' && value !== null) {
    const media = value as PreparedMedia
    if (media.image !== undefined || media.video !== undefined) return media
  }
  throw new DataflowError('DATAFLOW_INPUT_INVALID', `no prepared image or video at "${path}"`, {
    hint: 'Run the media node before this one (list it in `needs`) or point the `media` setting at its output.',
  })
}
