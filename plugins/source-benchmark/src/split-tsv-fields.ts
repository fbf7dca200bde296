/** The fields of one TSV record, or why they cannot be read. */
export type TsvFields = { fields: string[]; problem?: never } | { problem: string; fields?: never }

/**
 * Splits a TSV record the way Python's csv module reads pandas output: fields are separated by
 * tabs; a field starting with `"` is quoted, may hold tabs, line breaks and doubled `""`;
 * characters after a closing quote are kept, as Python does.
 */
export function splitTsvFields(text: string): TsvFields {
  if (!text.includes('"')) return { fields: text.split('\t') }
  const fields: string[] = []
  let position = 0
  for (;;) {
    if (text[position] !== '"') {
      const tab = text.indexOf('\t', position)
      fields.push(text.slice(position, tab === -1 ? text.length : tab))
      if (tab === -1) return { fields }
      position = tab + 1
      continue
    }
    let value = ''
    let cursor = position + 1
    for (;;) {
      const quote = text.indexOf('"', cursor)
      if (quote === -1) return { problem: `a quoted field (column ${fields.length + 1}) is not closed` }
      value += text.slice(cursor, quote)
      if (text[quote + 1] === '"') {
        value += '"'
        cursor = quote + 2
        continue
      }
      cursor = quote + 1
      break
    }
    const tab = text.indexOf('\t', cursor)
    fields.push(value + text.slice(cursor, tab === -1 ? text.length : tab))
    if (tab === -1) return { fields }
    position = tab + 1
  }
}
