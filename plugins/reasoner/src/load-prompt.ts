import { readFile } from 'node:fs/promises'
import { DataflowError, type NodeContext } from '@dataflow/sdk'

/** A one-line value ending in .md or .txt names a prompt file; anything else is the prompt itself. */
const PROMPT_FILE = /^[^\n]+\.(md|txt)$/

/**
 * The prompt template: the user's override (inline text, or a file relative to the pipeline
 * file) or else the one shipped with this package as `prompts/<builtin>.md`.
 */
export async function loadPrompt(override: string | undefined, builtin: string, field: string, context: Pick<NodeContext, 'resolvePath'>): Promise<string> {
  if (override === undefined) return (await readFile(new URL(`../prompts/${builtin}.md`, import.meta.url), 'utf8')).trim()
  if (!PROMPT_FILE.test(override.trim())) return override.trim()
  const path = context.resolvePath(override.trim())
  try {
    return (await readFile(path, 'utf8')).trim()
  } catch (cause) {
    throw new DataflowError('DATAFLOW_CONFIG_INVALID', `${field}: cannot read prompt file ${path}`, {
      hint: 'A one-line value ending in .md or .txt is read as a file relative to the pipeline file; write the prompt inline or fix the path.',
      cause,
    })
  }
}
