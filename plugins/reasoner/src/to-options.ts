import { DataflowError } from '@dataflow/sdk'

/**
 * Options as `{ letter: text }` in letter order, from `{ A: text }` or a list (lettered A, B, ...).
 * Empty and non-string options are dropped; no option at all is an input error.
 */
export function toOptions(value: unknown, path: string): Record<string, string> {
  const entries: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((text, position) => [String.fromCharCode(65 + position), text])
    : typeof value === 'object' && value !== null
      ? Object.entries(value).map(([key, text]) => [key.trim().toUpperCase(), text])
      : []
  const options: Record<string, string> = {}
  for (const [letter, text] of entries.sort(([a], [b]) => a.localeCompare(b))) {
    if (/^[A-Z]$/.test(letter) && typeof text === 'string' && text.trim() !== '') options[letter] = text.trim()
  }
  if (Object.keys(options).length === 0) {
    throw new DataflowError(
      'DATAFLOW_INPUT_INVALID',
      `no options at "${path}" (expected { A: text, ... } or a list of texts)`,
      {
        hint: 'Point `options` at the item field holding the multiple-choice options.',
      },
    )
  }
  return options
}
