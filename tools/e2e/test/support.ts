import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSimulator, type Simulator, type SimulatorOptions } from '@dataflow/inference-sim'

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

/** Reads a JSONL file into objects (missing file: empty). */
export async function readJsonl<T = Record<string, unknown>>(path: string): Promise<T[]> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return ''
    throw error
  })
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T)
}

export async function readJson<T = Record<string, unknown>>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T
}

/** A temporary folder removed by the returned cleanup. */
export async function tempDir(prefix = 'dataflow-e2e-'): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix))
  return { path, remove: () => rm(path, { recursive: true, force: true }) }
}

/** Two simulators as CapFlow uses them: a VLM server and a text LLM server. */
export async function startCapflowServers(
  options: SimulatorOptions = {},
): Promise<{ vlm: Simulator; llm: Simulator; env: NodeJS.ProcessEnv; close(): Promise<void> }> {
  const vlm = await startSimulator({ port: 0, maxSeqs: 64, timeScale: 0.02, ...options })
  const llm = await startSimulator({ port: 0, maxSeqs: 64, timeScale: 0.02, ...options })
  return {
    vlm,
    llm,
    env: { VLM_BASE_URL: vlm.url, LLM_BASE_URL: llm.url, CAPTIONER_BASE_URL: vlm.url },
    close: async () => {
      await Promise.all([vlm.close(), llm.close()])
    },
  }
}
