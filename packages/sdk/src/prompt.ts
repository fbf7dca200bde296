import { readFile } from 'node:fs/promises'
import type { NodeContext } from './context.js'
import { DataflowError } from './errors.js'

const PROMPT_FILE = /^[^\n]+\.(md|txt)$/

/** A one-line value ending in .md or .txt names a prompt file; anything else is the prompt itself. */
export function isPromptFile(setting: string): boolean {
  return PROMPT_FILE.test(setting.trim())
}

/** Reads a prompt setting, or a prompt shipped with the plugin; every result is trimmed. */
export type PromptLoader = (setting: string | undefined, builtin: string, field: string) => Promise<string>

/**
 * Loads prompts the way every built-in node does: a user setting is inline text, or a file path
 * (one line ending in .md or .txt) resolved against the pipeline file's folder; without a
 * setting, the plugin's own `<builtin>.md` in `promptsFolder` (e.g. `new URL('../prompts/', import.meta.url)`).
 * A missing prompt file is a config error naming the setting.
 */
export function createPromptLoader(promptsFolder: URL, context: Pick<NodeContext, 'resolvePath'>): PromptLoader {
  return async (setting, builtin, field) => {
    if (setting === undefined) return (await readFile(new URL(`${builtin}.md`, promptsFolder), 'utf8')).trim()
    return loadPromptSetting(setting, context, field)
  }
}

/**
 * Reads a prompt setting that has no built-in default: inline text, or a file path (one line
 * ending in .md or .txt) relative to the pipeline file; trimmed. A missing file is a config error
 * naming `field`.
 */
export async function loadPromptSetting(
  setting: string,
  context: Pick<NodeContext, 'resolvePath'>,
  field: string,
): Promise<string> {
  if (!isPromptFile(setting)) return setting.trim()
  const path = context.resolvePath(setting.trim())
  try {
    return (await readFile(path, 'utf8')).trim()
  } catch (cause) {
    throw new DataflowError('DATAFLOW_CONFIG_INVALID', `${field}: cannot read prompt file ${path}`, {
      hint: 'A one-line value ending in .md or .txt is read as a file relative to the pipeline file; write the prompt inline or fix the path.',
      cause,
    })
  }
}
