import { dirname } from 'node:path'
import { isPluginDefinition } from '@dataflow/sdk'
import type { EditorPlugin } from './editor-schema.js'
import { findInstalledPlugins } from './find-installed-plugins.js'
import { isRecord } from './is-record.js'
import { readPipelineSource } from './read-pipeline-source.js'
import { resolvePlugin } from './resolve-plugin.js'

export interface CollectEditorPluginsOptions {
  /** A pipeline file: take the plugins its `uses:` name (local modules included). Absent: every installed plugin. */
  pipeline?: string
  /** Where packages are looked up (after the pipeline's folder). */
  resolveFrom: readonly string[]
}

/** The plugins an editor schema should describe, and those that could not be loaded (with why). */
export async function collectEditorPlugins(
  options: CollectEditorPluginsOptions,
): Promise<{ found: EditorPlugin[]; problems: { uses: string; message: string }[] }> {
  const dir = options.pipeline === undefined ? process.cwd() : dirname(options.pipeline)
  const names =
    options.pipeline === undefined ? findInstalledPlugins(options.resolveFrom) : await usesOf(options.pipeline)
  const found: EditorPlugin[] = []
  const problems: { uses: string; message: string }[] = []
  for (const uses of names) {
    try {
      const { exported } = await resolvePlugin(uses, { dir, resolveFrom: options.resolveFrom })
      if (isPluginDefinition(exported)) found.push({ uses, definition: exported })
      else problems.push({ uses, message: 'does not default-export a plugin definition' })
    } catch (error) {
      problems.push({ uses, message: (error as Error).message })
    }
  }
  return { found, problems }
}

/** The distinct `uses:` values of a pipeline file, in order. */
async function usesOf(file: string): Promise<string[]> {
  const read = await readPipelineSource(file)
  if ('diagnostics' in read) throw new Error(read.diagnostics.map((diagnostic) => diagnostic.message).join('; '))
  const data = read.source.document.toJS() as unknown
  if (!isRecord(data)) return []
  const entries = [
    data['source'],
    ...Object.values(isRecord(data['nodes']) ? data['nodes'] : {}),
    ...Object.values(isRecord(data['sinks']) ? data['sinks'] : {}),
  ]
  const uses = entries.flatMap((entry) => (isRecord(entry) && typeof entry['uses'] === 'string' ? [entry['uses']] : []))
  return [...new Set(uses)]
}
