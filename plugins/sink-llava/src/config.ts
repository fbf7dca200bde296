import { outputPathField, type JsonSchema } from '@dataflow/sdk'

/** The `with:` of the LLaVA export sink. */
export interface LlavaSinkConfig {
  /** Output file; relative paths land in the run directory. Default `train.json`. */
  path?: string
  /** `json`: one JSON array (what LLaVA loads); `jsonl`: one conversation per line, streamed (InternVL). Default `auto`: by extension. */
  format?: 'auto' | 'json' | 'jsonl'
  /** Entries per file: `<stem>-00000<ext>`, `<stem>-00001<ext>`, ... beside `path` (each a complete array in `json`). Default: one file. */
  rotateEvery?: number
  /** Record path of the caption. Default `caption`. */
  captionField?: string
  /** Record path of the id. Default `id`. */
  idField?: string
  /** Record path of the image path written into the export. Default `image`. */
  mediaField?: string
  /** Record path of the video path (video records). Default `video`; falls back to `mediaField`. */
  videoField?: string
  /** Record path of the modality; `video` makes a video entry. Default `modality`. */
  modalityField?: string
  /** Human prompt for images; a list is picked from deterministically per id. Default `Describe this image in detail.` */
  instruction?: string | string[]
  /** Human prompt for videos (string or list). Default `Describe this video in detail.` */
  videoInstruction?: string | string[]
  /** Placeholder put before the image prompt. Default `<image>`. */
  imageToken?: string
  /** Placeholder put before the video prompt. Default `<video>`. */
  videoToken?: string
}

export const DEFAULTS = {
  path: 'train.json',
  format: 'auto',
  captionField: 'caption',
  idField: 'id',
  mediaField: 'image',
  videoField: 'video',
  modalityField: 'modality',
  instruction: 'Describe this image in detail.',
  videoInstruction: 'Describe this video in detail.',
  imageToken: '<image>',
  videoToken: '<video>',
} as const

const prompts = (description: string, fallback: string): JsonSchema => ({
  description,
  default: fallback,
  oneOf: [
    { type: 'string', minLength: 1 },
    { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
  ],
})

const field = (description: string, fallback: string): JsonSchema => ({
  type: 'string',
  minLength: 1,
  default: fallback,
  description,
})

export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    path: outputPathField(
      'Output file; relative paths land in the run directory and must stay inside it. Default `train.json`.',
      DEFAULTS.path,
    ),
    format: {
      enum: ['auto', 'json', 'jsonl'],
      default: DEFAULTS.format,
      description:
        '`json`: one JSON array (LLaVA), `jsonl`: one entry per line (InternVL). Default `auto`: `jsonl` for a .jsonl path, else `json`.',
    },
    rotateEvery: {
      type: 'integer',
      minimum: 1,
      description:
        'Entries per file: writes <stem>-00000<ext>, <stem>-00001<ext>, ... beside `path` (in `json` format each file is a complete array). Default: one file.',
    },
    captionField: field('Record path (dotted) of the caption. Default `caption`.', DEFAULTS.captionField),
    idField: field('Record path of the id. Default `id`.', DEFAULTS.idField),
    mediaField: field('Record path of the image path written into the export. Default `image`.', DEFAULTS.mediaField),
    videoField: field(
      'Record path of the video path for video records; falls back to mediaField. Default `video`.',
      DEFAULTS.videoField,
    ),
    modalityField: field(
      'Record path of the modality; `video` makes a video entry. Default `modality`.',
      DEFAULTS.modalityField,
    ),
    instruction: prompts(
      'Human prompt for images; from a list one is picked deterministically per id. Default `Describe this image in detail.`',
      DEFAULTS.instruction,
    ),
    videoInstruction: prompts(
      'Human prompt for videos (string or list). Default `Describe this video in detail.`',
      DEFAULTS.videoInstruction,
    ),
    imageToken: field('Placeholder before the image prompt. Default `<image>`.', DEFAULTS.imageToken),
    videoToken: field('Placeholder before the video prompt. Default `<video>`.', DEFAULTS.videoToken),
  },
}
