import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { isDataflowError, type SourceContext, type SourceRecord } from '@dataflow/sdk'
import { createIoContext } from '@dataflow/sdk/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import definition from './index.js'

/** Real 4x3 PNGs and an 8x8 JPEG. */
const RED_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAEUlEQVQImWP4z8AARwgWOgcA9TEL9UV+YsgAAAAASUVORK5CYII='
const BLUE_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAD0lEQVQImWNgYPiPhHBxAN1JC/W1CReOAAAAAElFTkSuQmCC'
const GREEN_JPEG =
  '/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAIAAgDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAT/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFAEBAAAAAAAAAAAAAAAAAAAABv/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/AKwBcNf/2Q=='

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'source-benchmark-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

function createContext(): SourceContext {
  return createIoContext(dir)
}

async function readAll(config: Record<string, unknown>): Promise<SourceRecord[]> {
  const source = await definition.create({ format: 'auto', ...config } as never, createContext())
  const records: SourceRecord[] = []
  for await (const record of source.read()) records.push(record)
  return records
}

/** Writes rows the way pandas `to_csv(sep='\t', index=False)` does: quotes a field holding a tab, a line break or a quote. */
function toTsv(rows: ReadonlyArray<ReadonlyArray<string>>): string {
  const quote = (field: string) => (/[\t\n\r"]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field)
  return rows.map((row) => row.map(quote).join('\t')).join('\n') + '\n'
}

const HEADER = ['index', 'question', 'hint', 'A', 'B', 'C', 'D', 'answer', 'category', 'l2-category', 'split', 'image']
const errorsOf = (records: SourceRecord[]) =>
  records.filter((record) => record.error).map((record) => ({ id: record.id, message: record.error!.message }))

describe('source-benchmark TSV', () => {
  it('reads VLMEvalKit rows: quoted fields, NaN options, hints, categories, ids <benchmark>/<index>', async () => {
    await writeFile(
      join(dir, 'MMB.tsv'),
      toTsv([
        HEADER,
        [
          '0',
          'What colour is the square?',
          'nan',
          'red',
          'blue',
          'green',
          'yellow',
          'A',
          'attribute_recognition',
          'finegrained_perception',
          'dev',
          RED_PNG,
        ],
        [
          '1',
          'Which word is quoted?\tIt says "stop"\nand nothing else.',
          'Read the "sign".',
          'go',
          'stop',
          '',
          'NaN',
          'b',
          'ocr',
          'NaN',
          'dev',
          GREEN_JPEG,
        ],
      ]),
    )
    const records = await readAll({ path: 'MMB.tsv' })
    expect(errorsOf(records)).toEqual([])
    expect(records.map((record) => record.id)).toEqual(['MMB/0', 'MMB/1'])
    const [first, second] = records.map((record) => record.data!)
    expect(first).toEqual({
      id: 'MMB/0',
      benchmark: 'MMB',
      index: '0',
      media: expect.stringMatching(/run\/benchmark-media\/[0-9a-f]{64}\.png$/),
      modality: 'image',
      question: 'What colour is the square?',
      options: { A: 'red', B: 'blue', C: 'green', D: 'yellow' },
      answer: 'A',
      category: 'attribute_recognition',
      l2Category: 'finegrained_perception',
      split: 'dev',
    })
    expect(second).toMatchObject({
      question: 'Which word is quoted?\tIt says "stop"\nand nothing else.',
      hint: 'Read the "sign".',
      options: { A: 'go', B: 'stop' },
      answer: 'B',
      category: 'ocr',
      media: expect.stringMatching(/\.jpg$/),
    })
    expect(second).not.toHaveProperty('l2Category')
    expect(await readFile(first!['media'] as string)).toEqual(Buffer.from(RED_PNG, 'base64'))
  })

  it('turns bad rows into DATAFLOW_INPUT_INVALID error records and goes on', async () => {
    await writeFile(
      join(dir, 'bad.tsv'),
      toTsv([
        HEADER,
        ['10', '', '', 'a', 'b', 'c', 'd', 'A', 'x', '', '', RED_PNG],
        ['11', 'Q?', '', 'a', 'b', 'c', '', 'D', 'x', '', '', RED_PNG],
        ['12', 'Q?', '', 'a', 'b', 'c', 'd', 'A', 'x', '', '', 'this is *not* base64!'],
        [
          '13',
          'Q?',
          '',
          'a',
          'b',
          'c',
          'd',
          'A',
          'x',
          '',
          '',
          Buffer.from('plain text, no image signature at all').toString('base64'),
        ],
        ['14', 'Q?', '', 'a', 'b', 'c', 'd', 'A', 'x', '', '', '99'],
        ['15', 'Q?', '', 'a', 'b', 'c', 'd', 'A', 'x', '', '', ''],
        ['16', 'Q?', '', 'a', 'b', 'c', 'd', 'A', 'x', '', '', RED_PNG, 'extra'],
        ['17', 'Fine?', '', 'yes', 'no', '', '', 'A', 'x', '', '', BLUE_PNG],
        ['17', 'Again?', '', 'yes', 'no', '', '', 'A', 'x', '', '', BLUE_PNG],
        ['18', 'Q?', '', 'a', 'b', 'c', 'd', '', 'x', '', '', RED_PNG],
      ]) + '"19\tunclosed\n',
    )
    const records = await readAll({ path: 'bad.tsv', benchmark: 'Bench' })
    expect(records.filter((record) => !record.error).map((record) => record.id)).toEqual(['Bench/17'])
    expect(errorsOf(records)).toEqual([
      { id: 'Bench/10', message: 'row 1: the question is missing' },
      { id: 'Bench/11', message: 'row 2: the answer "D" is not one of the options (A, B, C)' },
      { id: 'Bench/12', message: 'row 3: the image is not valid base64' },
      {
        id: 'Bench/13',
        message: 'row 4: the base64 image decodes to 37 bytes that are not a JPEG, PNG, GIF, WebP, BMP or TIFF image',
      },
      {
        id: 'Bench/14',
        message: 'row 5: the image refers to the row with index 99, but no earlier row with that index has an image',
      },
      { id: 'Bench/15', message: 'row 6: the row has no image (empty "image" and "image_path")' },
      { id: 'Bench/row-7', message: 'row 7: it has 13 fields but the header has 12 columns (line 8)' },
      { id: 'Bench/17#row-9', message: 'row 9: duplicate index "17" (an earlier row has it)' },
      { id: 'Bench/18', message: 'row 10: the answer is missing' },
      { id: 'Bench/row-11', message: 'row 11: a quoted field (column 1) is not closed (line 12)' },
    ])
    expect(
      records.every(
        (record) => !record.error || (isDataflowError(record.error) && record.error.code === 'DATAFLOW_INPUT_INVALID'),
      ),
    ).toBe(true)
    // Error records keep the benchmark and category, so accuracy counts them against the right benchmark.
    expect(records[0]).toMatchObject({ data: { benchmark: 'Bench', index: '10', category: 'x' } })
    // No image is written for a row whose question is unusable.
    expect(await readdir(join(dir, 'run/benchmark-media'))).toHaveLength(1)
  })

  it('writes each distinct image once and resolves index references to an earlier row', async () => {
    await writeFile(
      join(dir, 'dup.tsv'),
      toTsv([
        HEADER,
        ['1', 'Q1?', '', 'a', 'b', '', '', 'A', 'c', '', '', RED_PNG],
        ['2', 'Q2?', '', 'a', 'b', '', '', 'B', 'c', '', '', RED_PNG],
        ['3', 'Q3?', '', 'a', 'b', '', '', 'A', 'c', '', '', '1'],
        ['4', 'Q4?', '', 'a', 'b', '', '', 'A', 'c', '', '', BLUE_PNG],
      ]),
    )
    const records = await readAll({ path: 'dup.tsv' })
    expect(errorsOf(records)).toEqual([])
    const media = records.map((record) => record.data!['media'])
    expect(media[0]).toBe(media[1])
    expect(media[2]).toBe(media[0])
    expect(media[3]).not.toBe(media[0])
    expect((await readdir(join(dir, 'run/benchmark-media'))).sort()).toHaveLength(2)
  })

  it('keeps an image file that already exists in the run directory (a resumed run does not rewrite it)', async () => {
    await writeFile(join(dir, 'one.tsv'), toTsv([HEADER, ['1', 'Q?', '', 'a', 'b', '', '', 'A', 'c', '', '', RED_PNG]]))
    const [first] = await readAll({ path: 'one.tsv' })
    const path = first!.data!['media'] as string
    await writeFile(path, 'kept as is')
    const [again] = await readAll({ path: 'one.tsv' })
    expect(again!.data!['media']).toBe(path)
    expect(await readFile(path, 'utf8')).toBe('kept as is')
    expect((await readdir(join(dir, 'run/benchmark-media'))).filter((name) => name.endsWith('.partial'))).toEqual([])
  })

  it('reads image_path columns relative to the TSV and reports missing files', async () => {
    await mkdir(join(dir, 'bench/img'), { recursive: true })
    await writeFile(join(dir, 'bench/img/a.png'), Buffer.from(RED_PNG, 'base64'))
    await writeFile(
      join(dir, 'bench/paths.tsv'),
      toTsv([
        ['index', 'image_path', 'question', 'A', 'B', 'answer'],
        ['1', 'img/a.png', 'Q?', 'x', 'y', 'B'],
        ['2', 'img/missing.png', 'Q?', 'x', 'y', 'B'],
      ]),
    )
    const records = await readAll({ path: 'bench/paths.tsv' })
    expect(records[0]!.data).toMatchObject({ id: 'paths/1', media: join(dir, 'bench/img/a.png'), answer: 'B' })
    expect(records[0]!.data).not.toHaveProperty('category')
    expect(records[1]!.error?.message).toBe(
      `row 2: the image file ${join(dir, 'bench/img/missing.png')} does not exist`,
    )
  })

  it('counts data rows cheaply (quoted line breaks inside a row do not count) and fingerprints the file', async () => {
    await writeFile(
      join(dir, 'c.tsv'),
      '\uFEFF' +
        toTsv([
          HEADER,
          ['1', 'two\nlines', '', 'a', 'b', '', '', 'A', 'c', '', '', RED_PNG],
          ['2', 'Q?', '', 'a', 'b', '', '', 'A', 'c', '', '', RED_PNG],
        ]) +
        '\n\n',
    )
    const source = await definition.create({ path: 'c.tsv', format: 'auto' }, createContext())
    expect(await source.count?.()).toBe(2)
    const before = await source.fingerprint!()
    expect(before).toContain('benchmark:c:tsv:')
    await writeFile(join(dir, 'c.tsv'), toTsv([HEADER]))
    expect(await source.fingerprint!()).not.toBe(before)
  })

  it('refuses at create: a missing file, an unknown extension, a header without the needed columns', async () => {
    const failure = (config: Record<string, unknown>) =>
      Promise.resolve(definition.create({ format: 'auto', ...config } as never, createContext())).catch(
        (e: unknown) => e,
      )
    expect(await failure({ path: 'nope.tsv' })).toMatchObject({ code: 'DATAFLOW_INPUT_NOT_FOUND' })
    await writeFile(join(dir, 'x.csv'), 'a,b\n')
    expect(await failure({ path: 'x.csv' })).toMatchObject({
      code: 'DATAFLOW_CONFIG_INVALID',
      message: expect.stringContaining('cannot tell the format'),
    })
    await writeFile(join(dir, 'h.tsv'), 'index\timage\tprompt\tA\tanswer\n')
    expect(await failure({ path: 'h.tsv' })).toMatchObject({
      code: 'DATAFLOW_INPUT_INVALID',
      message: expect.stringContaining('the header has no "question" column'),
    })
    await writeFile(join(dir, 'h2.tsv'), 'index\tquestion\tA\tanswer\n')
    expect(await failure({ path: 'h2.tsv' })).toMatchObject({
      code: 'DATAFLOW_INPUT_INVALID',
      message: expect.stringContaining('neither an "image" nor an "image_path"'),
    })
    await writeFile(
      join(dir, 'forced.csv'),
      toTsv([
        ['index', 'image', 'question', 'A', 'answer'],
        ['1', RED_PNG, 'Q?', 'x', 'A'],
      ]),
    )
    expect(await readAll({ path: 'forced.csv', format: 'tsv' })).toMatchObject([{ id: 'forced/1' }])
  })

  it('streams rows of several megabytes that span read chunks', async () => {
    const big = Buffer.concat([Buffer.from(RED_PNG, 'base64'), Buffer.alloc(3 * 1024 * 1024, 7)]).toString('base64')
    await writeFile(
      join(dir, 'big.tsv'),
      toTsv([
        HEADER,
        ['1', 'Big?\nyes', '', 'a', 'b', '', '', 'A', 'c', '', '', big],
        ['2', 'Small?', '', 'a', 'b', '', '', 'B', 'c', '', '', BLUE_PNG],
      ]),
    )
    const records = await readAll({ path: 'big.tsv' })
    expect(errorsOf(records)).toEqual([])
    expect(records.map((record) => record.data!['question'])).toEqual(['Big?\nyes', 'Small?'])
    expect((await readFile(records[0]!.data!['media'] as string)).length).toBe(Buffer.from(big, 'base64').length)
  })
})

describe('source-benchmark JSONL', () => {
  it('reads relative image paths, base64 images, option objects or lists, answers as letters or option text', async () => {
    await mkdir(join(dir, 'images'))
    await writeFile(join(dir, 'images/red.png'), Buffer.from(RED_PNG, 'base64'))
    const lines = [
      {
        id: 'q1',
        image: 'images/red.png',
        question: 'Colour?',
        options: { A: 'red', B: 'blue' },
        answer: 'A',
        category: 'colour',
      },
      {
        id: 'q2',
        image: `data:image/png;base64,${BLUE_PNG}`,
        question: 'Colour?',
        options: ['red', 'blue', null],
        answer: 'blue',
        hint: 'Look closely.',
      },
      { id: 7, image: GREEN_JPEG, question: 'Colour?', options: { b: 'green', a: 'red', c: 'None' }, answer: '(b)' },
    ]
    await writeFile(join(dir, 'mini.jsonl'), lines.map((line) => JSON.stringify(line)).join('\n'))
    const records = await readAll({ path: 'mini.jsonl', benchmark: 'Mini' })
    expect(errorsOf(records)).toEqual([])
    expect(records.map((record) => record.data)).toEqual([
      {
        id: 'Mini/q1',
        benchmark: 'Mini',
        index: 'q1',
        media: join(dir, 'images/red.png'),
        modality: 'image',
        question: 'Colour?',
        options: { A: 'red', B: 'blue' },
        answer: 'A',
        category: 'colour',
      },
      {
        id: 'Mini/q2',
        benchmark: 'Mini',
        index: 'q2',
        media: expect.stringMatching(/benchmark-media\/[0-9a-f]{64}\.png$/),
        modality: 'image',
        question: 'Colour?',
        options: { A: 'red', B: 'blue' },
        answer: 'B',
        hint: 'Look closely.',
      },
      {
        id: 'Mini/7',
        benchmark: 'Mini',
        index: '7',
        media: expect.stringMatching(/\.jpg$/),
        modality: 'image',
        question: 'Colour?',
        options: { A: 'red', B: 'green', C: 'None' },
        answer: 'B',
      },
    ])
    // "None" is a real option in JSON (null is the missing value); only TSV cells follow pandas' NaN strings.
  })

  it('turns bad lines into error records with line numbers', async () => {
    await writeFile(
      join(dir, 'bad.jsonl'),
      [
        '{"id":"a","image":"nowhere.png","question":"Q?","options":["x","y"],"answer":"A"}',
        '{not json',
        '[1]',
        '{"id":"b","image":"x.png","question":"Q?","options":"x or y","answer":"A"}',
        '{"id":"c","question":"Q?","options":["x","y"],"answer":"A"}',
        '{"id":"d","image":"x.png","question":"Q?","options":{"1":"x"},"answer":"A"}',
      ].join('\n'),
    )
    const records = await readAll({ path: 'bad.jsonl' })
    expect(errorsOf(records)).toEqual([
      { id: 'bad/a', message: `line 1: the image file ${join(dir, 'nowhere.png')} does not exist` },
      { id: 'bad/line-2', message: 'line 2: not valid JSON' },
      { id: 'bad/line-3', message: 'line 3: expected a JSON object' },
      { id: 'bad/b', message: 'line 4: the options are missing (expected { "A": "..." } or a list)' },
      { id: 'bad/c', message: 'line 5: the "image" field is missing (a path relative to the file, or base64)' },
      { id: 'bad/d', message: 'line 6: the option key "1" is not a letter A to Z' },
    ])
  })
})

describe('the committed sample (data/benchmarks)', () => {
  const samples = resolve(import.meta.dirname, '../../../data/benchmarks')
  it.each(['mini-mmbench.tsv', 'mini-bench.jsonl'])(
    '%s reads without errors, every item with an existing image',
    async (file) => {
      const context = { ...createContext(), resolvePath: (path: string) => resolve(samples, path) }
      const source = await definition.create({ path: file, format: 'auto' }, context)
      const records: SourceRecord[] = []
      for await (const record of source.read()) records.push(record)
      expect(errorsOf(records)).toEqual([])
      expect(records.length).toBeGreaterThanOrEqual(3)
      expect(await source.count?.()).toBe(records.length)
      for (const record of records) {
        expect(Object.keys(record.data!['options'] as object).length).toBeGreaterThanOrEqual(2)
        expect((await readFile(record.data!['media'] as string)).length).toBeGreaterThan(100)
      }
    },
  )
})
