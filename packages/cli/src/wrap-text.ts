/** Terminal width the default summary fits. */
export const SUMMARY_COLUMNS = 100

/** Breaks `text` into lines of at most `width` columns, later lines indented. */
export function wrap(text: string, width = SUMMARY_COLUMNS, indent = '    '): string {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    const prefix = lines.length === 0 ? '' : indent
    if (line !== '' && prefix.length + line.length + 1 + word.length > width) {
      lines.push(prefix + line)
      line = word
    } else line = line === '' ? word : `${line} ${word}`
  }
  if (line !== '') lines.push((lines.length === 0 ? '' : indent) + line)
  return lines.join('\n')
}
