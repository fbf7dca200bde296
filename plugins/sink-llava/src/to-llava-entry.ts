import { DataflowError, parsePath, readPath, type SinkRecord } from '@dataflow/sdk'
import { DEFAULTS, type LlavaSinkConfig } from './config.js'
import { pickInstruction } from './pick-instruction.js'

/** One training sample in LLaVA conversation format. */
export interface LlavaEntry {
  id: string | number
  image?: string
  video?: string
  width?: number
  height?: number
  conversations: [{ from: 'human'; value: string }, { from: 'gpt'; value: string }]
}

/** Builds the record -> entry conversion once per sink (paths parsed up front, so config mistakes fail at create). */
export function createEntryBuilder(config: LlavaSinkConfig): (record: SinkRecord) => LlavaEntry {
  const path = (name: keyof typeof fields) => {
    const value = fields[name]
    try {
      return { name: value, segments: parsePath(value) }
    } catch (error) {
      throw new DataflowError('DATAFLOW_CONFIG_INVALID', `${name}: ${(error as Error).message}`)
    }
  }
  const fields = {
    captionField: config.captionField ?? DEFAULTS.captionField,
    idField: config.idField ?? DEFAULTS.idField,
    mediaField: config.mediaField ?? DEFAULTS.mediaField,
    videoField: config.videoField ?? DEFAULTS.videoField,
    modalityField: config.modalityField ?? DEFAULTS.modalityField,
  }
  const caption = path('captionField')
  const id = path('idField')
  const media = path('mediaField')
  const video = path('videoField')
  const modality = path('modalityField')
  const instruction = config.instruction ?? DEFAULTS.instruction
  const videoInstruction = config.videoInstruction ?? DEFAULTS.videoInstruction
  const imageToken = config.imageToken ?? DEFAULTS.imageToken
  const videoToken = config.videoToken ?? DEFAULTS.videoToken

  return (record) => {
    const rawId = readPath(record, id.segments)
    if (typeof rawId !== 'string' && typeof rawId !== 'number') {
      throw invalid(`record has no id at "${id.name}"`, 'Set idField to the field holding the item id.')
    }
    const text = readPath(record, caption.segments)
    if (typeof text !== 'string' || text.trim() === '') {
      throw invalid(
        `record "${rawId}" has no caption at "${caption.name}" (found ${describe(text)})`,
        'Set captionField to the field holding the caption (e.g. summary.caption), or select only kept items for this sink.',
      )
    }
    const videoPath = readPath(record, video.segments)
    const imagePath = readPath(record, media.segments)
    const isVideo =
      readPath(record, modality.segments) === 'video' || (typeof videoPath === 'string' && imagePath === undefined)
    const mediaPath = isVideo ? (typeof videoPath === 'string' ? videoPath : imagePath) : imagePath
    if (typeof mediaPath !== 'string' || mediaPath === '') {
      const where = isVideo ? `"${video.name}" or "${media.name}"` : `"${media.name}"`
      throw invalid(
        `record "${rawId}" has no ${isVideo ? 'video' : 'image'} path at ${where} (found ${describe(mediaPath)})`,
        'Set mediaField (and videoField) to the record field holding the media path.',
      )
    }
    const prompt = isVideo
      ? `${videoToken}\n${pickInstruction(videoInstruction, String(rawId))}`
      : `${imageToken}\n${pickInstruction(instruction, String(rawId))}`
    const width = record['width']
    const height = record['height']
    return {
      id: rawId,
      ...(isVideo ? { video: mediaPath } : { image: mediaPath }),
      ...(typeof width === 'number' && typeof height === 'number' ? { width, height } : {}),
      conversations: [
        { from: 'human', value: prompt },
        { from: 'gpt', value: text },
      ],
    }
  }
}

function invalid(message: string, hint: string): DataflowError {
  return new DataflowError('DATAFLOW_INPUT_INVALID', message, { hint })
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  const text = JSON.stringify(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}
