import { pathField, type JsonSchema } from '@dataflow/sdk'

/** The dedup node's `with:` after defaults are applied. */
export interface DedupConfig {
  /** Path (or paths) of the key: `item.text`, `item.url`, `media.image.hash` (an image's content hash). */
  key: string | string[]
  /** Compare strings after Unicode NFKC, lower case and collapsing white space. Default false. */
  normalize: boolean
  /** Most distinct keys held (about 16 to 32 bytes each); beyond it new keys are errors. Default 10000000. */
  maxKeys: number
}

const keyPath = pathField(
  'A path of the key, e.g. item.text, item.url, or media.image.hash (the content hash of the prepared image).',
)

/** JSON Schema of the dedup node's `with:`. */
export const dedupConfigSchema: JsonSchema = {
  type: 'object',
  properties: {
    key: {
      description:
        'Path (or list of paths) whose value is the key: items with an equal key (equal JSON) are duplicates. The key is stored as a 64-bit hash, whatever its size.',
      anyOf: [keyPath, { type: 'array', items: keyPath, minItems: 1 }],
    },
    normalize: {
      type: 'boolean',
      default: false,
      description: 'Compare strings after Unicode NFKC, lower case and collapsing white space.',
    },
    maxKeys: {
      type: 'integer',
      minimum: 1,
      default: 10_000_000,
      description:
        'Most distinct keys held in memory (16 to 32 bytes each: 10 million take at most 320 MB); new keys beyond it are errors.',
    },
  },
  required: ['key'],
  additionalProperties: false,
}
