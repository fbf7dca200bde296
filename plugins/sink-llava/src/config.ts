import { field, outputPathField, type ConfigOf } from '@dataflow/sdk'

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

const prompts = (description: string, fallback: string) =>
  field.anyOf([field.string({ minLength: 1 }), field.array(field.string({ minLength: 1 }), { minItems: 1 })], {
    description,
    default: fallback,
  })

const recordPath = (description: string, fallback: string) =>
  field.string({ minLength: 1, default: fallback, description })

/** JSON Schema of the LLaVA export sink's `with:`; {@link LlavaSinkConfig} is inferred from it. */
export const configSchema = field.object({
  path: outputPathField(
    'Output file; relative paths land in the run directory and must stay inside it.',
    DEFAULTS.path,
  ),
  format: field.enum(['auto', 'json', 'jsonl'], {
    default: DEFAULTS.format,
    description:
      '`json`: one JSON array (what LLaVA loads), `jsonl`: one entry per line (InternVL). `auto`: `jsonl` for a .jsonl path, else `json`.',
  }),
  rotateEvery: field.integer({
    minimum: 1,
    description:
      'Entries per file: writes <stem>-00000<ext>, <stem>-00001<ext>, ... beside `path` (in `json` format each file is a complete array). Default: one file.',
  }),
  captionField: recordPath('Record path (dotted) of the caption, e.g. `summary.caption`.', DEFAULTS.captionField),
  idField: recordPath('Record path of the id.', DEFAULTS.idField),
  mediaField: recordPath('Record path of the image path written into the export.', DEFAULTS.mediaField),
  videoField: recordPath(
    'Record path of the video path for video records; falls back to mediaField.',
    DEFAULTS.videoField,
  ),
  modalityField: recordPath('Record path of the modality; `video` makes a video entry.', DEFAULTS.modalityField),
  instruction: prompts(
    'Human prompt for images; from a list one is picked deterministically per id.',
    DEFAULTS.instruction,
  ),
  videoInstruction: prompts('Human prompt for videos (string or list).', DEFAULTS.videoInstruction),
  imageToken: recordPath('Placeholder put before the image prompt.', DEFAULTS.imageToken),
  videoToken: recordPath('Placeholder put before the video prompt.', DEFAULTS.videoToken),
})

/** The `with:` of the LLaVA export sink, after defaults are applied. */
export type LlavaSinkConfig = ConfigOf<typeof configSchema>
