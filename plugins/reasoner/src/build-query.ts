import { renderTemplate } from '@dataflow/sdk'

/** What the prompt is built from. */
export interface QueryParts {
  caption: string
  question: string
  options: Record<string, string>
  hint?: string | undefined
}

/**
 * The benchmark question as the reasoner sees it: the hint (if any), the question, then one
 * `A. text` line per option, each line ending with a line break.
 */
export function toQuery(parts: Omit<QueryParts, 'caption'>): string {
  const hint = parts.hint === undefined ? '' : `${parts.hint}\n`
  return `${hint}${parts.question}\n${toOptionLines(parts.options)}`
}

/** `A. text\nB. text\n`. */
export function toOptionLines(options: Record<string, string>): string {
  return Object.entries(options)
    .map(([letter, text]) => `${letter}. ${text}\n`)
    .join('')
}

/**
 * Fills the prompt template. With the default template the message is, as in the paper:
 * `The detailed caption of the provided image: {caption}\n{hint\n}{question}\nA. ...\n Please think step by step.`
 */
export function buildPrompt(template: string, parts: QueryParts): string {
  return renderTemplate(template, {
    caption: parts.caption,
    query: toQuery(parts),
    hint: parts.hint ?? '',
    question: parts.question,
    options: toOptionLines(parts.options),
  })
}
