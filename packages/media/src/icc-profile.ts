/** What an embedded ICC profile says about itself: its colour space and description. */
export interface IccProfileFacts {
  /** The header's data colour space signature, trimmed: `RGB`, `GRAY`, `CMYK`, `Lab`... */
  colourSpace: string
  /** The `desc` tag (ICC v2 textDescriptionType or v4 multiLocalizedUnicodeType); empty when absent. */
  description: string
}

/** Reads an ICC profile's header and description tag; undefined when the bytes are not a profile. */
export function readIccProfile(icc: Uint8Array): IccProfileFacts | undefined {
  if (icc.length < 132) return undefined
  const view = new DataView(icc.buffer, icc.byteOffset, icc.byteLength)
  if (ascii(icc, 36, 40) !== 'acsp') return undefined
  const colourSpace = ascii(icc, 16, 20).trim()
  const tags = view.getUint32(128)
  for (let index = 0; index < tags && 132 + index * 12 + 12 <= icc.length; index++) {
    const entry = 132 + index * 12
    if (ascii(icc, entry, entry + 4) !== 'desc') continue
    const offset = view.getUint32(entry + 4)
    const size = view.getUint32(entry + 8)
    if (offset + size > icc.length || size < 12) break
    return { colourSpace, description: readDescription(icc.subarray(offset, offset + size)) }
  }
  return { colourSpace, description: '' }
}

/**
 * True when the profile needs no conversion before a model sees the pixels: an sRGB profile
 * (by its description, as every sRGB profile in use names itself) or a grey one. Decoders on
 * model servers (PIL) ignore embedded profiles, so anything else (Display P3, Adobe RGB...)
 * must be converted to sRGB here for the colours to be right.
 */
export function isSrgbOrGreyProfile(icc: Uint8Array): boolean {
  const facts = readIccProfile(icc)
  if (!facts) return false
  return facts.colourSpace === 'GRAY' || /\bs-?RGB/i.test(facts.description)
}

function readDescription(tag: Uint8Array): string {
  const view = new DataView(tag.buffer, tag.byteOffset, tag.byteLength)
  const type = ascii(tag, 0, 4)
  if (type === 'desc') {
    const length = view.getUint32(8)
    return ascii(tag, 12, Math.min(tag.length, 12 + length)).replace(/\0+$/, '')
  }
  if (type === 'mluc' && tag.length >= 28) {
    const length = view.getUint32(20)
    const offset = view.getUint32(24)
    const end = Math.min(tag.length, offset + length)
    let text = ''
    for (let at = offset; at + 1 < end; at += 2) text += String.fromCharCode(view.getUint16(at))
    return text.replace(/\0+$/, '')
  }
  return ''
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end))
}
