// Test helper: writes a pipeline YAML into a fresh folder next to copies of the fixture plugins,
// so that `uses: ./fixture-node.js` resolves and '@dataflow/sdk' resolves from the workspace.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const FIXTURES = fileURLToPath(new URL('./fixtures/pipelines/', import.meta.url))
let folder: string | undefined

/** One folder per test file (each test file gets its own copy of this module). */
function tmp(): string {
  if (folder === undefined) {
    mkdirSync(join(FIXTURES, '.tmp'), { recursive: true })
    folder = mkdtempSync(join(FIXTURES, '.tmp', 'run-'))
  }
  return folder
}

/** Creates `<tmp>/pipeline.yaml` with `yaml` (and `files`, relative paths -> text); returns the pipeline path. */
export function writePipeline(yaml: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmp(), 'case-'))
  for (const name of readdirSync(FIXTURES)) {
    if (name.endsWith('.js')) copyFileSync(join(FIXTURES, name), join(dir, name))
  }
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true })
    writeFileSync(join(dir, name), text)
  }
  const file = join(dir, 'pipeline.yaml')
  writeFileSync(file, yaml)
  return file
}

/** Removes the folders made by writePipeline in this test file. */
export function removePipelines(): void {
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true })
  folder = undefined
}
