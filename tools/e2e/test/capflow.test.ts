import { writeFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './run-cli.js'
import { REPO, readJson, readJsonl, startCapflowServers, tempDir } from './support.js'

const SAMPLE = join(REPO, 'data/sample')
const CAPFLOW = join(REPO, 'pipelines/capflow.yaml')

/** Table 1 of the paper: the agents each domain runs. */
const AGENTS: Record<string, string[]> = {
  natural: ['natural-perception', 'general-reasoning', 'visual-guideline'],
  'chart-math': ['structure-perception', 'infographic-perception', 'general-reasoning', 'visual-guideline'],
  document: ['infographic-perception', 'ocr', 'general-reasoning', 'visual-guideline'],
  medical: ['natural-perception', 'medical-reasoning', 'visual-guideline'],
  ui: ['ui-perception', 'ocr', 'general-reasoning'],
  code: ['coder', 'general-reasoning', 'visual-guideline'],
  knowledge: ['infographic-perception', 'knowledge-reasoning', 'visual-guideline'],
  synthetic: ['texture-perception', 'general-reasoning', 'visual-guideline'],
  video: ['video-perception', 'video-reasoning', 'video-guideline'],
}

interface Dataset {
  root: string
  task?: string
  modality?: 'video'
  files: string[]
  /** Expected domain of every record (undefined: the router decides). */
  domain?: string
}

/** One dataset per domain, each task spelled as the paper does; one routed dataset; videos; one corrupt image. */
const DATASETS: Record<string, Dataset> = {
  photos: { root: 'images/natural', task: 'Natural', files: ['coastline.jpg', 'meadow-trees.jpg'], domain: 'natural' },
  charts: {
    root: 'images/charts',
    task: 'Structure & Math',
    files: ['quarterly-revenue-bar.png', 'market-share-pie.png'],
    domain: 'chart-math',
  },
  docs: {
    root: 'images/documents',
    task: 'Infographic & Document',
    files: ['invoice-northwind.png'],
    domain: 'document',
  },
  scans: { root: 'images/medical', task: 'Medical & Bio-Imaging', files: ['chest-xray-pa.jpg'], domain: 'medical' },
  screens: { root: 'images/web', task: 'UI & Interaction', files: ['login-form.png'], domain: 'ui' },
  code: { root: 'images/web', task: 'Code & Programming', files: ['editor-python.png'], domain: 'code' },
  lessons: { root: 'images/web', task: 'knowledge & education', files: ['water-cycle.png'], domain: 'knowledge' },
  art: { root: 'images/web', task: 'Synthetic / Aesthetic', files: ['render-spheres.jpg'], domain: 'synthetic' },
  routed: { root: 'images/web', files: ['autumn-river.jpg', 'analytics-dashboard.png', 'animal-cell.png'] },
  clips: { root: 'videos', modality: 'video', files: ['testcard-480p.mp4', 'valley-pan-480p.mp4'], domain: 'video' },
  broken: { root: join(REPO, 'data/fixtures/bad-media'), task: 'Natural', files: ['truncated.jpg'] },
}

async function writeDataset(dir: string): Promise<string> {
  const metafile: Record<string, unknown> = {}
  for (const [name, dataset] of Object.entries(DATASETS)) {
    const key = dataset.modality === 'video' ? 'video' : 'image'
    const records = dataset.files.map((file, id) => ({
      id,
      [key]: file,
      conversations: [{ from: 'human', value: `<${key}>\nDescribe.` }],
    }))
    await writeFile(join(dir, `${name}.json`), JSON.stringify(records))
    metafile[name] = {
      root: isAbsolute(dataset.root) ? dataset.root : join(SAMPLE, dataset.root),
      annotation: `${name}.json`,
      length: records.length,
      ...(dataset.task ? { task: dataset.task } : {}),
      ...(dataset.modality ? { modality: dataset.modality } : {}),
    }
  }
  const path = join(dir, 'Metafile.json')
  await writeFile(path, JSON.stringify(metafile, null, 2))
  return path
}

type CaptionRecord = {
  id: string
  dataset: string
  domain: string
  modality: string
  router: { decidedBy: string; domain: string }
  agents: Record<string, string>
  caption: string
  judge: { verdict: string; scores: Record<string, string> }
  reason?: string
}

describe('pipelines/capflow.yaml end to end', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let servers: Awaited<ReturnType<typeof startCapflowServers>>
  let metafile: string
  const inputIds = Object.entries(DATASETS).flatMap(([name, dataset]) =>
    dataset.files.map((_, index) => `${name}/${index}`),
  )

  beforeAll(async () => {
    dir = await tempDir()
    servers = await startCapflowServers()
    metafile = await writeDataset(dir.path)
  })
  afterAll(async () => {
    await servers.close()
    await dir.remove()
  })

  it('captions all nine domains with their agents, routes only items without a task, and accounts for every item', async () => {
    const out = join(dir.path, 'run')
    const result = await runCli(
      ['run', CAPFLOW, '--out', out, '--quiet', '--max-error-rate', '0.2', '--set', `source.with.metafile=${metafile}`],
      servers.env,
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)

    const kept = await readJsonl<CaptionRecord>(join(out, 'captions.jsonl'))
    const rejected = await readJsonl<CaptionRecord>(join(out, 'rejected.jsonl'))
    const errors = await readJsonl<{ id: string; node: string; error: { code: string; message: string } }>(
      join(out, 'errors.jsonl'),
    )
    const ids = [...kept, ...rejected, ...errors].map((record) => record.id)
    expect(ids.sort()).toEqual([...inputIds].sort())

    // The corrupt image is an error record of the media node; nothing else failed.
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ id: 'broken/0', node: 'media', error: { code: 'DATAFLOW_MEDIA_INVALID' } })

    const captioned = [...kept, ...rejected]
    for (const record of captioned) {
      const dataset = DATASETS[record.dataset]!
      if (dataset.domain) expect(record.domain, record.id).toBe(dataset.domain)
      expect(record.router.decidedBy, record.id).toBe(
        dataset.domain === 'video' ? 'modality' : dataset.task ? 'task' : 'model',
      )
      expect(Object.keys(record.agents).sort(), `${record.id} (${record.domain})`).toEqual(
        [...AGENTS[record.domain]!].sort(),
      )
      expect(record.caption).toMatch(/^\[simulated\]/)
      expect(record.judge.scores).toBeDefined()
    }
    expect(new Set(captioned.map((record) => record.domain))).toEqual(new Set(Object.keys(AGENTS)))

    // Kept items are rated Excellent everywhere; rejected ones say which metric fell short.
    expect(kept.length).toBeGreaterThan(0)
    expect(rejected.length).toBeGreaterThan(0)
    for (const record of kept)
      expect(Object.values(record.judge.scores).every((score) => score === 'Excellent')).toBe(true)
    for (const record of rejected) {
      expect(record.judge.verdict).toBe('reject')
      expect(record.reason).toMatch(/< Excellent/)
    }

    const report = await readJson<{
      input: number
      outcomes: Record<string, number>
      media: { framesExtracted: number }
      inference: { nodes: Record<string, Record<string, { requests: number }>> }
    }>(join(out, 'report.json'))
    expect(report.input).toBe(inputIds.length)
    expect(report.outcomes).toEqual({ ok: kept.length, rejected: rejected.length, error: 1, interrupted: 0 })
    // Only the three items without a task asked the router model.
    expect(report.inference.nodes['route']!['vlm']!.requests).toBe(DATASETS['routed']!.files.length)
    // Videos went through real frame extraction (8 frames at most, 2 fps over 3 s clips).
    expect(report.media.framesExtracted).toBeGreaterThanOrEqual(2 * 4)
    // The training export holds exactly the kept captions.
    const training = await readJson<Array<{ id: string; conversations: Array<{ from: string; value: string }> }>>(
      join(out, 'train.json'),
    )
    expect(training.map((entry) => entry.id).sort()).toEqual(kept.map((record) => record.id).sort())
  })

  it('turns unparseable judge answers into error records, and the counts still add up', async () => {
    const out = join(dir.path, 'run-unparseable')
    // A 16-token answer budget truncates the judge's JSON: invalid, re-asked once, still invalid.
    const result = await runCli(
      [
        'run',
        CAPFLOW,
        '--out',
        out,
        '--quiet',
        '--max-error-rate',
        '1',
        '--set',
        `source.with.metafile=${metafile}`,
        '--set',
        'nodes.judge.with.maxTokens=16',
      ],
      servers.env,
    )
    expect(result.code).toBe(0)
    const errors = await readJsonl<{ id: string; node: string; error: { code: string; details?: { raw?: string } } }>(
      join(out, 'errors.jsonl'),
    )
    const judged = errors.filter((record) => record.node === 'judge')
    expect(judged.length).toBe(inputIds.length - 1)
    for (const record of judged) {
      expect(record.error.code).toBe('DATAFLOW_OUTPUT_INVALID')
      expect(typeof record.error.details?.raw).toBe('string')
    }
    const kept = await readJsonl(join(out, 'captions.jsonl'))
    const rejected = await readJsonl(join(out, 'rejected.jsonl'))
    expect(kept.length + rejected.length + errors.length).toBe(inputIds.length)
  })
})
