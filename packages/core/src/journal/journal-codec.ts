import { deflateRawSync, inflateRawSync } from 'node:zlib'

/** Shorter texts are stored as they are: deflate would save a few bytes for tens of microseconds. */
const DEFLATE_FROM = 256
/**
 * Size of a field's preset dictionary: the start of its first outputs. Deflate then finds the
 * field's recurring words and keys from the first byte; on CapFlow's answers this saves about
 * 30% over plain deflate (measured in docs/decisions/0020).
 */
export const DICTIONARY_BYTES = 8192

/** How the journal stores a JSON text: as it is (TEXT), or deflated with a one-byte-or-more header (BLOB). */
export type StoredText = string | Buffer

/** Where dictionaries are kept (the journal's `dictionaries` table). */
export interface DictionaryStore {
  /** Stores a new dictionary for `field`; returns its id (1 or more). */
  add(field: number, bytes: Buffer): number
  /** The dictionary with this id. */
  get(id: number): Buffer
  /** Every stored dictionary, to go on with them in a resumed session. */
  all(): Array<{ id: number; field: number }>
}

/**
 * Encodes the journal's JSON texts: short ones as they are, longer ones deflated (raw, level 6)
 * with a preset dictionary per field (a node's outputs, items, ...). A field's first texts are
 * deflated without one while they are gathered into its dictionary. A BLOB starts with the
 * dictionary id as a varint (0: none), then the deflate stream.
 */
export class JournalCodec {
  private readonly dictionaries = new Map<number, Buffer>()
  /** Dictionary id per field, once it has one. */
  private readonly fieldDictionary = new Map<number, number>()
  /** Texts gathered per field until they fill a dictionary. */
  private readonly samples = new Map<number, { texts: string[]; bytes: number }>()

  constructor(private readonly store: DictionaryStore) {
    for (const { id, field } of store.all()) this.fieldDictionary.set(field, id)
  }

  encode(field: number, text: string): StoredText {
    if (text.length < DEFLATE_FROM) return text
    const id = this.fieldDictionary.get(field)
    if (id !== undefined) return withHeader(id, deflateRawSync(text, { dictionary: this.dictionary(id) }))
    this.gather(field, text)
    return withHeader(0, deflateRawSync(text))
  }

  decode(value: StoredText): string {
    if (typeof value === 'string') return value
    let id = 0
    let shift = 0
    let at = 0
    for (;;) {
      const byte = value[at++]!
      id += (byte & 0x7f) * 2 ** shift
      if (byte < 0x80) break
      shift += 7
    }
    const body = value.subarray(at)
    return (id === 0 ? inflateRawSync(body) : inflateRawSync(body, { dictionary: this.dictionary(id) })).toString(
      'utf8',
    )
  }

  encodeNullable(field: number, text: string | null): StoredText | null {
    return text === null ? null : this.encode(field, text)
  }

  decodeNullable(value: StoredText | null): string | null {
    return value === null ? null : this.decode(value)
  }

  private dictionary(id: number): Buffer {
    let bytes = this.dictionaries.get(id)
    if (bytes === undefined) {
      bytes = this.store.get(id)
      this.dictionaries.set(id, bytes)
    }
    return bytes
  }

  private gather(field: number, text: string): void {
    const sample = this.samples.get(field) ?? { texts: [], bytes: 0 }
    sample.texts.push(text)
    sample.bytes += Buffer.byteLength(text)
    if (sample.bytes < DICTIONARY_BYTES) {
      this.samples.set(field, sample)
      return
    }
    this.samples.delete(field)
    // Deflate looks back from the end of the dictionary: the most common strings belong last, and
    // every sample is as likely as another, so the dictionary is the samples' last DICTIONARY_BYTES.
    const bytes = Buffer.from(sample.texts.join('\n')).subarray(-DICTIONARY_BYTES)
    const id = this.store.add(field, bytes)
    this.dictionaries.set(id, bytes)
    this.fieldDictionary.set(field, id)
  }
}

function withHeader(id: number, body: Buffer): Buffer {
  const header: number[] = []
  let rest = id
  while (rest >= 0x80) {
    header.push((rest % 0x80) | 0x80)
    rest = Math.floor(rest / 0x80)
  }
  header.push(rest)
  return Buffer.concat([Buffer.from(header), body])
}
