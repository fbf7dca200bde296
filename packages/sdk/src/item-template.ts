import { DataflowError } from './errors.js'
import type { NodeInput } from './item.js'
import { parsePath } from './path.js'

/** One `{{path}}` of a template, with the 0-based offset of the path in the text. */
export interface TemplatePlaceholder {
  readonly path: string
  readonly offset: number
}

/** A prompt template over the item scope, ready to render per item. */
export interface ItemTemplate {
  readonly source: string
  /** Every path its placeholders read, each once. */
  readonly paths: readonly string[]
  /**
   * The text with every placeholder replaced by the value at its path: strings as they are,
   * numbers and booleans as text, objects and lists as JSON. A path with no value (or null) is
   * a `DATAFLOW_INPUT_INVALID` naming the placeholder: a prompt is never sent with a hole in it.
   */
  render(input: NodeInput): string
}

const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g

/** The `{{path}}` placeholders of a template, in order (the same path may appear more than once). */
export function templatePlaceholders(text: string): TemplatePlaceholder[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => ({
    path: match[1]!,
    offset: match.index + match[0].indexOf(match[1]!),
  }))
}

/** Text for a value read by a placeholder. */
function toText(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value)
}

/**
 * Compiles a template such as `Classify this review:\n{{item.text}}` whose placeholders are
 * paths into the item scope. Throws `DATAFLOW_CONFIG_INVALID` on a placeholder that is not a path.
 */
export function compileItemTemplate(text: string, field = 'prompt'): ItemTemplate {
  const placeholders = templatePlaceholders(text)
  for (const { path } of placeholders) {
    try {
      parsePath(path)
    } catch (error) {
      throw new DataflowError('DATAFLOW_CONFIG_INVALID', `${field}: {{${path}}} is not a path`, {
        hint: 'Placeholders name a field of the item or of an upstream node, e.g. {{item.text}} or {{route.domain}}.',
        cause: error,
      })
    }
  }
  const paths = [...new Set(placeholders.map((placeholder) => placeholder.path))]
  return {
    source: text,
    paths,
    render(input) {
      const values = new Map<string, string>()
      for (const path of paths) {
        const value = input.get(path)
        if (value === undefined || value === null) {
          throw new DataflowError('DATAFLOW_INPUT_INVALID', `${field}: {{${path}}} has no value for this item`, {
            hint: `Check that the item or the node "${path.split('.')[0]}" writes ${path}, or gate this node with a \`when\` that tests it.`,
          })
        }
        values.set(path, toText(value))
      }
      return text.replace(PLACEHOLDER, (_, path: string) => values.get(path)!)
    },
  }
}
