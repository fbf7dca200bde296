#!/usr/bin/env node
/**
 * Regenerates data/benchmarks: a tiny multiple-choice benchmark in the two layouts that
 * @dataflow/plugin-source-benchmark reads, for the caption-eval pipeline and its tests.
 *
 *   - mini-mmbench.tsv: VLMEvalKit/MMBench layout, base64 images inline, written the way pandas
 *     writes it (tab-separated, a field quoted when it holds a tab, a line break or a quote,
 *     NaN as an empty field, a repeated image replaced by the index of the row holding it).
 *   - mini-bench.jsonl + images/: one JSON object per line, images as relative paths.
 *
 *   node tools/generators/benchmark-data.mjs
 *
 * Deterministic (fixed SVG scenes rendered by sharp). Needs sharp from the workspace.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const outDir = join(repo, 'data/benchmarks')

const WIDTH = 320
const HEIGHT = 240
const FONT = 'font-family="DejaVu Sans"'
const svg = (body, background = '#ffffff') =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}"><rect width="${WIDTH}" height="${HEIGHT}" fill="${background}"/>${body}</svg>`
const label = (x, y, text, size = 14, anchor = 'middle', color = '#222') =>
  `<text x="${x}" y="${y}" ${FONT} font-size="${size}" fill="${color}" text-anchor="${anchor}">${text}</text>`

/** Fruit sales, a bar chart with values on the bars. */
function fruitBars() {
  const bars = [
    ['Apples', 12, '#d9534f'],
    ['Pears', 7, '#5cb85c'],
    ['Plums', 9, '#6f42c1'],
  ]
  let body = label(160, 26, 'Fruit sales (boxes)', 16)
  body += '<line x1="40" y1="205" x2="300" y2="205" stroke="#333" stroke-width="2"/>'
  bars.forEach(([name, value, color], i) => {
    const x = 60 + i * 85
    const height = value * 13
    body += `<rect x="${x}" y="${205 - height}" width="50" height="${height}" fill="${color}"/>`
    body += label(x + 25, 200 - height, String(value), 14)
    body += label(x + 25, 224, name, 13)
  })
  return svg(body)
}

/** A red circle to the left of a blue square. */
function circleAndSquare() {
  return svg(
    '<circle cx="90" cy="120" r="50" fill="#e02424"/><rect x="185" y="70" width="100" height="100" fill="#1c64f2"/>',
    '#f3f4f6',
  )
}

/** Five yellow stars on a dark background. */
function fiveStars() {
  const star = (cx, cy, r) => {
    const points = Array.from({ length: 10 }, (_, i) => {
      const angle = (Math.PI / 5) * i - Math.PI / 2
      const radius = i % 2 === 0 ? r : r * 0.45
      return `${(cx + radius * Math.cos(angle)).toFixed(1)},${(cy + radius * Math.sin(angle)).toFixed(1)}`
    })
    return `<polygon points="${points.join(' ')}" fill="#facc15"/>`
  }
  return svg(
    [
      [60, 70],
      [160, 60],
      [260, 80],
      [110, 170],
      [215, 175],
    ]
      .map(([x, y]) => star(x, y, 32))
      .join(''),
    '#1e293b',
  )
}

/** A green exit sign reading "EXIT 42". */
function exitSign() {
  return svg(
    `<rect x="40" y="70" width="240" height="100" rx="10" fill="#15803d"/>${label(160, 137, 'EXIT 42', 44, 'middle', '#ffffff')}`,
    '#d1d5db',
  )
}

/** Yearly visitors, a rising line chart. */
function visitorsLine() {
  const values = [20, 28, 35, 47, 60]
  const points = values.map((value, i) => [50 + i * 60, 200 - value * 2.6])
  let body = label(160, 26, 'Museum visitors (thousands)', 15)
  body +=
    '<line x1="40" y1="205" x2="300" y2="205" stroke="#333" stroke-width="2"/><line x1="40" y1="40" x2="40" y2="205" stroke="#333" stroke-width="2"/>'
  body += `<polyline points="${points.map(([x, y]) => `${x},${y.toFixed(1)}`).join(' ')}" fill="none" stroke="#2563eb" stroke-width="3"/>`
  points.forEach(([x, y], i) => {
    body += `<circle cx="${x}" cy="${y.toFixed(1)}" r="4" fill="#2563eb"/>`
    body += label(x, 224, String(2019 + i), 12)
  })
  return svg(body)
}

/** A traffic light with the top (red) lamp lit. */
function trafficLight() {
  const lamp = (cy, color, lit) => `<circle cx="160" cy="${cy}" r="28" fill="${lit ? color : '#3f3f46'}"/>`
  return svg(
    `<rect x="120" y="20" width="80" height="200" rx="14" fill="#18181b"/>${lamp(60, '#ef4444', true)}${lamp(120, '#f59e0b', false)}${lamp(180, '#22c55e', false)}`,
    '#bae6fd',
  )
}

/** A clock face showing three o'clock. */
function clockAtThree() {
  let body = '<circle cx="160" cy="120" r="95" fill="#ffffff" stroke="#111827" stroke-width="6"/>'
  for (let hour = 1; hour <= 12; hour++) {
    const angle = (Math.PI / 6) * hour - Math.PI / 2
    body += label(
      (160 + 75 * Math.cos(angle)).toFixed(1),
      (126 + 75 * Math.sin(angle)).toFixed(1),
      String(hour),
      16,
      'middle',
      '#111827',
    )
  }
  body += '<line x1="160" y1="120" x2="160" y2="62" stroke="#111827" stroke-width="4"/>'
  body += '<line x1="160" y1="120" x2="215" y2="120" stroke="#111827" stroke-width="7"/>'
  return svg(body, '#e5e7eb')
}

const toPng = (scene) => sharp(Buffer.from(scene)).png({ compressionLevel: 9, palette: true }).toBuffer()
const toJpeg = (scene) => sharp(Buffer.from(scene)).jpeg({ quality: 80 }).toBuffer()

/** pandas `to_csv(sep='\t')` quoting (QUOTE_MINIMAL, doubled quotes). */
const tsvField = (value) => {
  const text = value === undefined || value === null ? '' : String(value)
  return /[\t\n\r"]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

async function writeTsv() {
  const bars = (await toPng(fruitBars())).toString('base64')
  const rows = [
    {
      index: 0,
      question: 'Which fruit sold the most boxes?',
      A: 'Pears',
      B: 'Apples',
      C: 'Plums',
      D: 'Grapes',
      answer: 'B',
      category: 'chart_understanding',
      image: bars,
      'l2-category': 'logic_reasoning',
    },
    {
      index: 1,
      question: 'What is to the left of the blue square?',
      hint: 'The shapes are drawn on a light grey background.',
      A: 'A red circle',
      B: 'A green triangle',
      C: 'A blue circle',
      D: 'Nothing',
      answer: 'A',
      category: 'spatial_relationship',
      image: (await toPng(circleAndSquare())).toString('base64'),
      'l2-category': 'finegrained_perception',
    },
    {
      index: 2,
      question: 'How many stars are in the image?',
      A: '4',
      B: '6',
      C: '5',
      D: '7',
      answer: 'C',
      category: 'object_counting',
      image: (await toPng(fiveStars())).toString('base64'),
      'l2-category': 'finegrained_perception',
    },
    {
      index: 3,
      question: 'What number is written on the sign?',
      A: '24',
      B: '12',
      C: '44',
      D: '42',
      answer: 'D',
      category: 'ocr',
      image: (await toPng(exitSign())).toString('base64'),
      'l2-category': 'finegrained_perception',
    },
    {
      index: 4,
      question: 'How did the number of museum visitors change from 2019 to 2023?',
      A: 'It decreased every year',
      B: 'It increased every year',
      C: 'It stayed the same',
      D: 'It first rose, then fell',
      answer: 'B',
      category: 'chart_understanding',
      image: (await toJpeg(visitorsLine())).toString('base64'),
      'l2-category': 'logic_reasoning',
    },
    // Same image as row 0, written as its index (VLMEvalKit style); only three options (D is NaN); quotes in the question.
    {
      index: 5,
      question: 'The chart is titled "Fruit sales (boxes)".\tHow many boxes of pears were sold?',
      A: '7',
      B: '9',
      C: '12',
      answer: 'A',
      category: 'chart_understanding',
      image: '0',
      'l2-category': 'finegrained_perception',
    },
  ]
  const columns = [
    'index',
    'question',
    'hint',
    'A',
    'B',
    'C',
    'D',
    'answer',
    'category',
    'image',
    'l2-category',
    'split',
  ]
  const lines = [
    columns.join('\t'),
    ...rows.map((row) => columns.map((column) => tsvField(column === 'split' ? 'dev' : row[column])).join('\t')),
  ]
  await writeFile(join(outDir, 'mini-mmbench.tsv'), `${lines.join('\n')}\n`)
  return rows.length
}

async function writeJsonl() {
  await mkdir(join(outDir, 'images'), { recursive: true })
  await writeFile(join(outDir, 'images/traffic-light.png'), await toPng(trafficLight()))
  await writeFile(join(outDir, 'images/clock.png'), await toPng(clockAtThree()))
  const items = [
    {
      id: 'traffic-1',
      image: 'images/traffic-light.png',
      question: 'Which lamp of the traffic light is lit?',
      options: { A: 'The green one', B: 'The yellow one', C: 'The red one', D: 'None' },
      answer: 'C',
      category: 'attribute_recognition',
    },
    {
      id: 'traffic-2',
      image: 'images/traffic-light.png',
      question: 'How many lamps does the traffic light have?',
      options: ['2', '3', '4', '5'],
      answer: 'B',
      category: 'object_counting',
    },
    {
      id: 'clock-1',
      image: 'images/clock.png',
      question: 'What time does the clock show?',
      options: ["12 o'clock", "3 o'clock", "6 o'clock", "9 o'clock"],
      answer: 'B',
      category: 'attribute_recognition',
      hint: 'The short hand shows the hour.',
    },
  ]
  await writeFile(join(outDir, 'mini-bench.jsonl'), items.map((item) => JSON.stringify(item)).join('\n') + '\n')
  return items.length
}

await rm(join(outDir, 'images'), { recursive: true, force: true })
await mkdir(outDir, { recursive: true })
const tsvRows = await writeTsv()
const jsonlItems = await writeJsonl()
console.log(
  `data/benchmarks: mini-mmbench.tsv (${tsvRows} rows), mini-bench.jsonl (${jsonlItems} items), images/ (2 files)`,
)
