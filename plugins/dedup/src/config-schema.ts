import { field, pathField, type ConfigOf } from '@dataflow/sdk'

const keyPath = pathField(
  'A path of the key, e.g. item.text, item.url, or media.image.hash (the content hash of the prepared image).',
)

/** JSON Schema of the dedup node's `with:`; {@link DedupConfig} is inferred from it. */
export const dedupConfigSchema = field.object(
  {
    key: field.anyOf([keyPath, field.array(keyPath, { minItems: 1 })], {
      description:
        'Path (or list of paths) whose value is the key: items with an equal key (equal JSON) are duplicates. The key is stored as a 64-bit hash, whatever its size.',
    }),
    normalize: field.boolean({
      default: false,
      description: 'Compare strings after Unicode NFKC, lower case and collapsing white space.',
    }),
    maxKeys: field.integer({
      minimum: 1,
      default: 10_000_000,
      description:
        'Most distinct keys held in memory (16 to 32 bytes each: 10 million take at most 320 MB); new keys beyond it are errors.',
    }),
  },
  { required: ['key'] },
)

/** The dedup node's `with:` after defaults are applied. */
export type DedupConfig = ConfigOf<typeof dedupConfigSchema>
