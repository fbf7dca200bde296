#!/usr/bin/env node
/**
 * Regenerates data/sample (the sample dataset: Metafile, LLaVA-style annotations, images of every
 * CapFlow domain, short videos) and data/fixtures/bad-media (broken and unusual files for tests).
 * Deterministic: seeded noise, fixed data, single-threaded x264, bit-exact muxing.
 *
 *   node tools/generators/sample-data.mjs [--only sample|fixtures]
 *
 * Needs sharp (from the workspace) and ffmpeg + ffprobe on PATH (`apt-get install ffmpeg`).
 */
import { execFileSync } from 'node:child_process'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import { writeBadMedia } from './bad-media.mjs'
import { renderPhoto, renderScan, renderScreenshot } from './render.mjs'
import { barChart, financialTable, geometryFigure, lineChart, pieChart } from './scenes/charts.mjs'
import { invoice, reportPage, textPage } from './scenes/documents.mjs'
import { animalCell, waterCycle } from './scenes/knowledge.mjs'
import { abstractArt, brainMri, chestXray, render3d } from './scenes/medical-synthetic.mjs'
import {
  autumnRiver,
  coastline,
  forestPathPortrait,
  meadowTrees,
  mountainLakeSunset,
  nightCity,
  panorama,
  smallThumbnail,
} from './scenes/natural.mjs'
import { dashboard, loginForm, pythonEditor, typescriptEditor } from './scenes/screens.mjs'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const sampleDir = join(repo, 'data/sample')
const fixturesDir = join(repo, 'data/fixtures/bad-media')

const photo = (scene, options = {}) => ({ scene, render: (svg, seed) => renderPhoto(svg, { seed, ...options }) })
const screenshot = (scene, options = {}) => ({ scene, render: (svg) => renderScreenshot(svg, options) })
const scan = (scene) => ({ scene, render: (svg, seed) => renderScan(svg, { seed }) })

/**
 * The image datasets. `task` on a dataset routes all its items (router skipped); a record's own
 * `task` wins over it; a dataset without `task` is routed by the model.
 */
const DATASETS = [
  {
    name: 'natural-photos',
    folder: 'images/natural',
    task: 'Natural',
    items: [
      {
        file: 'mountain-lake-sunset.jpg',
        ...photo(mountainLakeSunset),
        ask: 'What time of day is shown, and what is reflected in the lake?',
        answer: 'Sunset; the mountains and the orange sky are reflected in the lake.',
      },
      {
        file: 'meadow-trees.jpg',
        ...photo(meadowTrees),
        ask: 'How many trees stand in the meadow?',
        answer: 'Four trees.',
      },
      {
        file: 'coastline.jpg',
        ...photo(coastline),
        ask: 'What is on the right side of the beach?',
        answer: 'A cluster of dark rocks.',
      },
      {
        file: 'night-city.jpg',
        ...photo(nightCity),
        ask: 'Is the photo taken during the day or at night? What lights the sky?',
        answer: 'At night; a full moon and stars.',
      },
      {
        file: 'forest-path-portrait.jpg',
        ...photo(forestPathPortrait, { storedSideways: true }),
        ask: 'Describe the path.',
        answer: 'A dirt path leads straight into a sunlit forest.',
        note: 'stored sideways with EXIF orientation 6, as phones do',
      },
    ],
  },
  {
    name: 'chart-qa',
    folder: 'images/charts',
    task: 'Chart & Math',
    sampleCount: 5,
    items: [
      {
        file: 'quarterly-revenue-bar.png',
        ...screenshot(barChart),
        ask: 'Which quarter had the highest hardware revenue, and how much?',
        answer: 'Q4, with $4.2M.',
      },
      {
        file: 'temperature-line.png',
        ...screenshot(lineChart),
        ask: 'What is the highest average temperature in Lisbon?',
        answer: '24 °C, in August.',
      },
      {
        file: 'market-share-pie.png',
        ...screenshot(pieChart),
        ask: 'What share of shipments does Vendor B have?',
        answer: '24%.',
      },
      {
        file: 'right-triangle.png',
        ...screenshot(geometryFigure),
        ask: 'What is the length of BC?',
        answer: '10 cm (a 6-8-10 right triangle).',
      },
      {
        file: 'income-statement-table.png',
        ...screenshot(financialTable),
        task: 'Document',
        ask: 'What was the net income in FY2024?',
        answer: '2,197 thousand USD.',
        note: "its own task (Document) overrides the dataset's",
      },
    ],
  },
  {
    name: 'doc-vqa',
    folder: 'images/documents',
    task: 'Infographic & Document',
    items: [
      {
        file: 'invoice-northwind.png',
        ...screenshot(invoice),
        ask: 'What is the total amount due on the invoice?',
        answer: '2,730.60 EUR.',
      },
      {
        file: 'book-page-scan.jpg',
        ...scan(textPage),
        ask: 'What is the title of the chapter?',
        answer: 'Presses and Publics.',
      },
      {
        file: 'water-quality-report.png',
        ...screenshot(reportPage),
        ask: 'Which station needs review?',
        answer: 'S3 East Main.',
      },
    ],
  },
  {
    name: 'web-mixed',
    folder: 'images/web',
    items: [
      {
        file: 'login-form.png',
        ...screenshot(loginForm),
        ask: 'What error does the form show?',
        answer: 'Password must be at least 8 characters.',
      },
      {
        file: 'analytics-dashboard.png',
        ...screenshot(dashboard),
        ask: 'What was the revenue shown on the dashboard?',
        answer: '$48,294 (+12.4% vs last month).',
      },
      {
        file: 'editor-python.png',
        ...screenshot(pythonEditor),
        ask: 'What does the function top_words return?',
        answer: 'The n most frequent words of the text column as (word, count) pairs.',
      },
      {
        file: 'editor-typescript.png',
        ...screenshot(typescriptEditor),
        ask: 'How many attempts does retry make by default?',
        answer: 'Five.',
      },
      {
        file: 'water-cycle.png',
        ...screenshot(waterCycle),
        ask: 'Which stage follows condensation in the diagram?',
        answer: 'Precipitation.',
      },
      {
        file: 'animal-cell.png',
        ...screenshot(animalCell),
        ask: 'Which organelle is labelled at the centre of the cell?',
        answer: 'The nucleus, with its nucleolus.',
      },
      {
        file: 'abstract-composition.jpg',
        ...photo(abstractArt, { grain: 2, blur: 0 }),
        ask: 'Describe the style of this artwork.',
        answer: 'Abstract: translucent coloured circles and flowing bands on a warm gradient.',
      },
      {
        file: 'render-spheres.jpg',
        ...photo(render3d, { grain: 2, blur: 0.4 }),
        ask: 'What objects stand on the floor?',
        answer: 'A red sphere, a blue sphere, a chrome sphere and an orange cube.',
      },
      {
        file: 'autumn-river.jpg',
        ...photo(autumnRiver),
        ask: 'What season is it?',
        answer: 'Autumn: the trees have orange and red leaves.',
      },
      {
        file: 'meadow-thumbnail.jpg',
        ...photo(smallThumbnail),
        ask: 'Describe the scene.',
        answer: 'A meadow with trees under a blue sky.',
        note: 'short edge 360 px: rejected by minShortEdge 512',
      },
      {
        file: 'valley-panorama.jpg',
        ...photo(panorama),
        ask: 'Describe the landscape.',
        answer: 'Layered blue mountain ridges above a conifer forest.',
        note: 'aspect ratio 4:1: rejected by maxAspectRatio 2',
      },
    ],
  },
  {
    name: 'med-scans',
    folder: 'images/medical',
    task: 'Medical',
    items: [
      {
        file: 'chest-xray-pa.jpg',
        ...photo(chestXray, { gray: true, grain: 5, blur: 0.8 }),
        ask: 'Which view is this radiograph?',
        answer: 'A posteroanterior (PA) chest view; the image is synthetic.',
      },
      {
        file: 'brain-mri-axial.png',
        scene: brainMri,
        render: (svg) =>
          sharp(Buffer.from(svg)).removeAlpha().toColourspace('b-w').png({ compressionLevel: 9 }).toBuffer(),
        ask: 'What imaging plane is shown?',
        answer: 'An axial slice; the image is synthetic.',
      },
    ],
  },
]

/** The video dataset: two clips at 480p (a test card with audio, a camera pan), one at 240p to show the `minVideoHeight` filter. */
const VIDEOS = [
  {
    file: 'testcard-480p.mp4',
    width: 854,
    height: 480,
    seconds: 3,
    input: ['-f', 'lavfi', '-i', 'testsrc2=size=854x480:rate=25'],
    audio: true,
    crf: 30,
    title: 'dataflow sample clip 1',
    ask: 'What changes over the course of the clip?',
    answer: 'A test pattern with a moving gradient and a running timecode.',
  },
  {
    file: 'valley-pan-480p.mp4',
    width: 854,
    height: 480,
    seconds: 3,
    crf: 30,
    audio: false,
    // A camera pan across the generated panorama (written first, in images/web).
    input: ['-loop', '1', '-framerate', '25', '-i', 'images/web/valley-panorama.jpg'],
    filter: "crop=854:480:x='t*500':y=60,",
    title: 'dataflow sample clip 2',
    ask: 'Describe the camera motion.',
    answer: 'The camera pans from left to right across mountain ridges and a conifer forest.',
  },
  {
    file: 'life-240p.mp4',
    width: 320,
    height: 240,
    seconds: 2,
    input: ['-f', 'lavfi', '-i', 'life=size=320x240:rate=10:seed=7:ratio=0.1:life_color=#00ff88:death_color=#203040'],
    audio: false,
    crf: 36,
    title: 'tiny clip',
    ask: 'Describe the video.',
    answer: "Cells of Conway's Game of Life evolving on a dark background.",
    note: 'below 480p: rejected by minVideoHeight 480 (the default)',
  },
]

async function writeSample() {
  // README.md is written by hand: keep it, replace everything generated.
  for (const generated of ['images', 'annotations', 'videos', 'Metafile.json'])
    await rm(join(sampleDir, generated), { recursive: true, force: true })
  const metafile = {}
  let seed = 1000
  for (const dataset of DATASETS) {
    await mkdir(join(sampleDir, dataset.folder), { recursive: true })
    const records = []
    for (const [id, item] of dataset.items.entries()) {
      seed += 17
      const bytes = await item.render(item.scene(seed), seed)
      await writeFile(join(sampleDir, dataset.folder, item.file), bytes)
      const { autoOrient } = await sharp(bytes).metadata()
      records.push({
        id,
        image: item.file,
        conversations: [
          { from: 'human', value: `<image>\n${item.ask}` },
          { from: 'gpt', value: item.answer },
        ],
        width: autoOrient.width,
        height: autoOrient.height,
        ...(item.task === undefined ? {} : { task: item.task }),
      })
      console.log(
        `${dataset.name}/${item.file}: ${autoOrient.width}x${autoOrient.height}, ${(bytes.length / 1024).toFixed(0)} KiB`,
      )
    }
    await writeJson(join(sampleDir, 'annotations', `${dataset.name}.json`), records)
    metafile[dataset.name] = {
      root: dataset.folder,
      annotation: `annotations/${dataset.name}.json`,
      length: records.length,
      ...(dataset.task === undefined ? {} : { task: dataset.task }),
      ...(dataset.sampleCount === undefined ? {} : { sample_count: dataset.sampleCount }),
      modality: 'image',
    }
  }
  await mkdir(join(sampleDir, 'videos'), { recursive: true })
  const videoRecords = VIDEOS.map((video, id) => {
    writeVideo(join(sampleDir, 'videos', video.file), video)
    console.log(`video-clips/${video.file}: ${video.width}x${video.height}, ${video.seconds} s`)
    return {
      id,
      video: video.file,
      conversations: [
        { from: 'human', value: `<video>\n${video.ask}` },
        { from: 'gpt', value: video.answer },
      ],
      width: video.width,
      height: video.height,
    }
  })
  await writeJson(join(sampleDir, 'annotations', 'video-clips.json'), videoRecords)
  metafile['video-clips'] = {
    root: 'videos',
    annotation: 'annotations/video-clips.json',
    length: videoRecords.length,
    modality: 'video',
  }
  await writeJson(join(sampleDir, 'Metafile.json'), metafile)
}

/** H.264 + optional AAC, single-threaded and bit-exact so that reruns give the same bytes. */
function writeVideo(path, video) {
  const font = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'
  const drawtext =
    `${video.filter ?? ''}drawtext=fontfile=${font}:text='${video.title}':x=24:y=h-56:fontsize=${Math.round(video.height / 18)}:fontcolor=white:box=1:boxcolor=black@0.55:boxborderw=8,` +
    `drawtext=fontfile=${font}:text='t=%{pts\\:hms}':x=w-tw-24:y=24:fontsize=${Math.round(video.height / 20)}:fontcolor=yellow:box=1:boxcolor=black@0.55:boxborderw=6`
  const args = [
    '-v',
    'error',
    '-y',
    ...video.input.map((arg) => (arg.startsWith('images/') ? join(sampleDir, arg) : arg)),
  ]
  if (video.audio) args.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=22050:duration=${video.seconds}`)
  args.push('-t', String(video.seconds))
  args.push(
    '-vf',
    drawtext,
    '-c:v',
    'libx264',
    '-preset',
    'medium',
    '-crf',
    String(video.crf),
    '-pix_fmt',
    'yuv420p',
    '-threads',
    '1',
    '-x264-params',
    'threads=1',
  )
  if (video.audio) args.push('-c:a', 'aac', '-b:a', '32k', '-shortest')
  args.push(
    '-map_metadata',
    '-1',
    '-fflags',
    '+bitexact',
    '-flags:v',
    '+bitexact',
    '-flags:a',
    '+bitexact',
    '-movflags',
    '+faststart',
    path,
  )
  execFileSync('ffmpeg', args, { stdio: 'inherit' })
}

async function writeJson(path, value) {
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`)
}

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined
if (only !== 'fixtures') await writeSample()
if (only !== 'sample') await writeBadMedia(fixturesDir)
