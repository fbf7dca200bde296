import { copyFile, mkdir, readFile, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '@dataflow/inference-sim'
import { readJson, tempDir } from '../support.js'
import { sampleDatasets } from './capflow-dataset.js'
import { BAD_MEDIA, SAMPLE, readOutcomes, runCapflow, type RunOutcomes } from './run-capflow.js'
import { writeDataset } from './write-dataset.js'

/** Bad files: each must become one error record of its own, with this code, node and reason. */
const BAD_IMAGES: Record<string, { file: string; code: string; node: string; reason: RegExp }> = {
  'zero-byte': {
    file: 'zero-byte.jpg',
    code: 'DATAFLOW_MEDIA_INVALID',
    node: 'media',
    reason: /zero-byte\.jpg.*empty/,
  },
  truncated: {
    file: 'truncated.jpg',
    code: 'DATAFLOW_MEDIA_INVALID',
    node: 'media',
    reason: /truncated\.jpg.*truncated/,
  },
  'corrupt-png': {
    file: 'corrupt.png',
    code: 'DATAFLOW_MEDIA_INVALID',
    node: 'media',
    reason: /corrupt\.png.*corrupt/,
  },
  'text-named-jpg': {
    file: 'not-an-image.jpg',
    code: 'DATAFLOW_MEDIA_INVALID',
    node: 'media',
    reason: /not-an-image\.jpg.*text, not an image/,
  },
  bomb: {
    file: 'bomb-50000x50000.png',
    code: 'DATAFLOW_MEDIA_INVALID',
    node: 'media',
    reason: /50000x50000.*decompression-bomb/,
  },
  'extreme-aspect': {
    file: 'extreme-aspect-2100x10.png',
    code: 'DATAFLOW_MEDIA_INVALID',
    node: 'media',
    reason: /2100x10.*aspect ratio/,
  },
  missing: {
    file: 'no-such-photo.jpg',
    code: 'DATAFLOW_INPUT_NOT_FOUND',
    node: 'media',
    reason: /no-such-photo\.jpg.*does not exist/,
  },
  // An existing file outside the dataset root, reached with ../ and with an absolute path.
  'escape-dotdot': {
    file: '../../sample/images/natural/coastline.jpg',
    code: 'DATAFLOW_INPUT_INVALID',
    node: 'source',
    reason: /outside the dataset root/,
  },
  'escape-absolute': {
    file: '/etc/hostname',
    code: 'DATAFLOW_INPUT_INVALID',
    node: 'source',
    reason: /outside the dataset root/,
  },
}
const BAD_VIDEOS: typeof BAD_IMAGES = {
  'audio-only': {
    file: 'audio-only.mp4',
    code: 'DATAFLOW_MEDIA_INVALID',
    node: 'media',
    reason: /audio-only\.mp4.*no video stream/,
  },
  garbage: {
    file: 'garbage.mp4',
    code: 'DATAFLOW_MEDIA_INVALID',
    node: 'media',
    reason: /garbage\.mp4.*not a readable video/,
  },
}

/** Unusual but valid files: each must be prepared and captioned (kept or rejected by the judge, never an error). */
const ODD_IMAGES: Record<string, string> = {
  'animated-gif': 'animated.gif',
  '16-bit': 'deep-16bit.png',
  cmyk: 'cmyk.jpg',
  webp: 'image.webp',
  avif: 'image.avif',
  'unicode-and-spaces': 'café crème – photo 1.jpg',
  alpha: 'alpha.png',
  'exif-rotated': 'exif-rotated.jpg',
  tiny: 'tiny-10x10.png',
}
const ODD_VIDEOS: Record<string, string> = { 'rotated-phone': 'rotated-phone.mp4' }

describe('CapFlow on bad and unusual media', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let sim: Simulator
  let outcomes: RunOutcomes
  let ids: string[]
  let stderr: string
  let code: number | null
  beforeAll(async () => {
    dir = await tempDir('dataflow-bad-inputs-')
    sim = await startSimulator({ port: 0, maxSeqs: 64, timeScale: 0.02 })
    const sample = await sampleDatasets()
    // A root whose folder names have spaces and non-ASCII letters, holding a valid photo and a
    // symbolic link that leads out of the root to an existing file.
    const oddRoot = join(dir.path, 'média root', 'ünïcode folder')
    await mkdir(oddRoot, { recursive: true })
    await copyFile(join(SAMPLE, 'images/natural/coastline.jpg'), join(oddRoot, 'photo one.jpg'))
    await symlink(join(SAMPLE, 'images/natural/meadow-trees.jpg'), join(oddRoot, 'linked.jpg'))
    const dataset = await writeDataset(join(dir.path, 'data'), {
      'good-photos': sample['natural-photos']!,
      'bad-images': {
        root: BAD_MEDIA,
        task: 'Natural',
        records: Object.entries(BAD_IMAGES).map(([id, { file }]) => ({ id, image: file })),
      },
      'odd-images': {
        root: BAD_MEDIA,
        task: 'Natural',
        records: Object.entries(ODD_IMAGES).map(([id, file]) => ({ id, image: file })),
      },
      'bad-videos': {
        root: BAD_MEDIA,
        modality: 'video',
        records: Object.entries(BAD_VIDEOS).map(([id, { file }]) => ({ id, video: file })),
      },
      'odd-videos': {
        root: BAD_MEDIA,
        modality: 'video',
        records: Object.entries(ODD_VIDEOS).map(([id, file]) => ({ id, video: file })),
      },
      'odd-root': {
        root: oddRoot,
        task: 'Natural',
        records: [
          { id: 'spaces', image: 'photo one.jpg' },
          { id: 'symlink-escape', image: 'linked.jpg' },
        ],
      },
    })
    ids = dataset.ids
    const out = join(dir.path, 'run')
    const result = await runCapflow({
      out,
      metafile: dataset.metafile,
      cacheDir: join(dir.path, 'cache'),
      env: { VLM_BASE_URL: sim.url, LLM_BASE_URL: sim.url },
      // The rotated phone clip is 180x320: keep it (the default source filter wants 480p).
      set: ['nodes.media.with.minVideoHeight=0'],
    })
    code = result.code
    stderr = result.stderr
    outcomes = await readOutcomes(out)
  }, 120_000)
  afterAll(async () => {
    await sim?.close()
    await dir?.remove()
  })

  it('the run completes and accounts for every item once', async () => {
    expect(code).toBe(0)
    expect(stderr).not.toMatch(/^\s+at /m)
    expect([...outcomes.ids].sort()).toEqual([...ids].sort())
    const report = await readJson<{ status: string; input: number }>(join(dir.path, 'run', 'report.json'))
    expect(report).toMatchObject({ status: 'completed', input: ids.length })
  })

  it('each bad file is one error record with a clear reason, from the node that found it', () => {
    const errors = new Map(outcomes.errors.map((record) => [record.id, record]))
    const expected = [
      ...Object.entries(BAD_IMAGES).map(([id, bad]) => [`bad-images/${id}`, bad] as const),
      ...Object.entries(BAD_VIDEOS).map(([id, bad]) => [`bad-videos/${id}`, bad] as const),
      [
        'odd-root/symlink-escape',
        { file: 'linked.jpg', code: 'DATAFLOW_INPUT_INVALID', node: 'source', reason: /outside the dataset root/ },
      ] as const,
    ]
    for (const [id, bad] of expected) {
      const record = errors.get(id)
      expect(record, id).toBeDefined()
      expect({ id, node: record!.node, code: record!.error.code }).toEqual({ id, node: bad.node, code: bad.code })
      expect(record!.error.message).toMatch(bad.reason)
      expect(record!.error.hint, id).toBeTruthy()
    }
    expect(outcomes.errors.map((record) => record.id).sort()).toEqual(expected.map(([id]) => id).sort())
  })

  it('the other items go on: the good photos are captioned', () => {
    const done = [...outcomes.kept, ...outcomes.rejected]
    const good = done.filter((record) => String(record['id']).startsWith('good-photos/'))
    expect(good).toHaveLength(5)
    for (const record of good) expect(String(record['caption'])).not.toBe('')
  })

  it('unusual but valid media are prepared and captioned, not failed', () => {
    const done = new Map([...outcomes.kept, ...outcomes.rejected].map((record) => [String(record['id']), record]))
    const odd = [
      ...Object.keys(ODD_IMAGES).map((id) => [`odd-images/${id}`, 'image'] as const),
      ...Object.keys(ODD_VIDEOS).map((id) => [`odd-videos/${id}`, 'video'] as const),
      ['odd-root/spaces', 'image'] as const,
    ]
    for (const [id, modality] of odd) {
      const record = done.get(id)
      expect(record, id).toBeDefined()
      expect(record!['modality'], id).toBe(modality)
      expect(typeof record!['caption'] === 'string' && record!['caption'].length > 0, id).toBe(true)
      // A judge may reject a caption; nothing else may (no source filter, no failure).
      if (record!['reason'] !== undefined) expect(record!['reason'], id).toMatch(/keep rule/)
    }
  })

  it('the unicode file name survives into the outputs byte for byte', async () => {
    const captions =
      (await readFile(join(dir.path, 'run', 'captions.jsonl'), 'utf8')) +
      (await readFile(join(dir.path, 'run', 'rejected.jsonl'), 'utf8'))
    expect(captions).toContain(join(BAD_MEDIA, 'café crème – photo 1.jpg'))
  })
})
