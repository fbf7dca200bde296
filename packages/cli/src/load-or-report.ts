import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { formatDiagnostics, isPipelineError, loadPipeline, type LoadedPipeline } from '@dataflow/core'

/** Where `uses:` packages are looked up after the pipeline's own folder: the working directory, then the CLI's install. */
export const RESOLVE_FROM = [process.cwd(), dirname(fileURLToPath(import.meta.url))]

/** Loads and validates a pipeline; on problems prints every diagnostic and returns undefined. */
export async function loadOrReport(
  file: string,
  set: string[] | undefined,
  stderr: NodeJS.WritableStream,
): Promise<LoadedPipeline | undefined> {
  try {
    return await loadPipeline(file, { env: process.env, set: set ?? [], resolveFrom: RESOLVE_FROM })
  } catch (error) {
    if (!isPipelineError(error)) throw error
    stderr.write(formatDiagnostics(error.diagnostics))
    stderr.write('Nothing was run.\n')
    return undefined
  }
}
