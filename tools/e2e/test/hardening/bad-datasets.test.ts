import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '@dataflow/inference-sim'
import { tempDir } from '../support.js'
import { SAMPLE, runCapflow } from './run-capflow.js'

const ROOT = JSON.stringify(join(SAMPLE, 'images/natural'))

/** One broken dataset: its files (Metafile.json first), and the positioned message expected. */
interface BrokenDataset {
  files: Record<string, string>
  code: string
  message: RegExp
}

const CASES: Record<string, BrokenDataset> = {
  'invalid JSON in an annotation file': {
    files: {
      'Metafile.json': `{ "photos": { "root": ${ROOT}, "annotation": "photos.json" } }\n`,
      'photos.json':
        '[\n  {"id": 1, "image": "coastline.jpg"},\n  {"id": 2, "image": "meadow-trees.jpg", "width": 10, "height": pp}\n]\n',
    },
    code: 'DATAFLOW_INPUT_INVALID',
    message: /photos\.json:3:\d+: invalid JSON/,
  },
  'a record field of the wrong type': {
    files: {
      'Metafile.json': `{ "photos": { "root": ${ROOT}, "annotation": "photos.json" } }\n`,
      'photos.json':
        '[\n  {"id": 1, "image": "coastline.jpg", "width": 640},\n  {"id": 2, "image": "meadow-trees.jpg", "width": "wide"}\n]\n',
    },
    code: 'DATAFLOW_INPUT_INVALID',
    message: /photos\.json:3:\d+: .*"width" must be a number.*"wide"/,
  },
  'duplicate ids in a dataset': {
    files: {
      'Metafile.json': `{ "photos": { "root": ${ROOT}, "annotation": "photos.jsonl" } }\n`,
      'photos.jsonl':
        '{"id": "a", "image": "coastline.jpg"}\n{"id": "b", "image": "meadow-trees.jpg"}\n{"id": "a", "image": "forest-path-portrait.jpg"}\n',
    },
    code: 'DATAFLOW_INPUT_INVALID',
    message: /photos\.jsonl:3:\d+: .*duplicate id "a" \(first on line 1\)/,
  },
  'a Metafile pointing at a missing annotation file': {
    files: { 'Metafile.json': `{\n  "photos": {\n    "root": ${ROOT},\n    "annotation": "gone.json"\n  }\n}\n` },
    code: 'DATAFLOW_INPUT_NOT_FOUND',
    message: /Metafile\.json:4:\d+: .*gone\.json does not exist/,
  },
  'invalid JSON in the Metafile': {
    files: {
      'Metafile.json': `{\n  "photos": {\n    "root": ${ROOT},\n    "annotation": "photos.json",\n  }\n}\n`,
      'photos.json': '[]\n',
    },
    code: 'DATAFLOW_INPUT_INVALID',
    message: /Metafile\.json:5:\d+: /,
  },
  'a Metafile field of the wrong type': {
    files: {
      'Metafile.json': '{\n  "photos": { "root": 12, "annotation": "photos.json" }\n}\n',
      'photos.json': '[]\n',
    },
    code: 'DATAFLOW_INPUT_INVALID',
    message: /Metafile\.json:2:\d+: .*"root" must be a non-empty string/,
  },
}

describe('bad dataset files fail before the run with one positioned error', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let sim: Simulator
  beforeAll(async () => {
    dir = await tempDir('dataflow-bad-datasets-')
    sim = await startSimulator({ port: 0, maxSeqs: 8, timeScale: 0.02 })
  })
  afterAll(async () => {
    await sim?.close()
    await dir?.remove()
  })

  for (const [name, broken] of Object.entries(CASES)) {
    it(name, async () => {
      const data = join(dir.path, name.replace(/\W+/g, '-'))
      await mkdir(data, { recursive: true })
      for (const [file, text] of Object.entries(broken.files)) await writeFile(join(data, file), text)
      const out = join(data, 'run')
      const result = await runCapflow({
        out,
        metafile: join(data, 'Metafile.json'),
        cacheDir: join(data, 'cache'),
        env: { VLM_BASE_URL: sim.url, LLM_BASE_URL: sim.url },
      })

      // One error, with its code, the file and the position of the problem.
      expect(result.stderr).toContain(`${broken.code}: `)
      expect(result.stderr).toMatch(broken.message)
      expect(result.stderr.match(/DATAFLOW_[A-Z_]+:/g) ?? []).toHaveLength(1)
      // Nothing ran: no model request, no output.
      expect(sim.stats().arrivals).toBe(0)
      for (const file of ['captions.jsonl', 'rejected.jsonl', 'errors.jsonl', 'train.json'])
        expect(existsSync(join(out, file)), file).toBe(false)
      // A clear message for a user's data problem: no stack trace, and the exit code of
      // "nothing was run: fix the input" (2, like an invalid pipeline), not 1 (item errors above the allowed rate).
      expect.soft(result.stderr, 'stderr has a stack trace').not.toMatch(/^\s+at /m)
      expect.soft(result.code, 'exit code').toBe(2)
    })
  }
})
