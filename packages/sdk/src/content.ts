import { DataflowError } from './errors.js'
import type { ContentPart } from './inference.js'
import type { NodeInput } from './item.js'
import type { PreparedMedia } from './media.js'

/**
 * The user content for a question about one item's media: the media first, then the text,
 * so that all requests about the same image share a prompt prefix (server prefix cache).
 */
export function mediaFirst(media: PreparedMedia | undefined, text: string): ContentPart[] {
  const parts: ContentPart[] = []
  if (media?.video) parts.push({ type: 'video', video: media.video })
  else if (media?.image) parts.push({ type: 'image', image: media.image })
  parts.push({ type: 'text', text })
  return parts
}

/** Fills `{{name}}` placeholders; unknown names are left as they are so that mistakes stay visible. */
export function renderTemplate(template: string, values: Record<string, string | number | undefined>): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g, (match, name: string) => {
    const value = values[name]
    return value === undefined ? match : String(value)
  })
}

/** The PreparedMedia a media node wrote at `path`; an item without one cannot be shown to a model. */
export function readPreparedMedia(input: NodeInput, path: string): PreparedMedia {
  const value = input.get(path)
  if (typeof value === 'object' && value !== null) {
    const media = value as PreparedMedia
    if (media.image !== undefined || media.video !== undefined) return media
  }
  throw new DataflowError('DATAFLOW_INPUT_INVALID', `no prepared image or video at "${path}"`, {
    hint: 'Run the media node before this one (list it in `needs`) or point the `media` setting at its output.',
  })
}
