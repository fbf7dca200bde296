#!/usr/bin/env node
/**
 * Throughput of @dataflow/media on the sample dataset (build the package first):
 * images/s for decode + validate + resize + encode, frames/s for video sampling.
 *
 *   node packages/media/scripts/bench-media.mjs [--rounds 5] [--concurrency N]
 *
 * Each round uses fresh media tools, so every image is really decoded and encoded.
 */
import { readdir } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createMediaTools } from '../dist/index.js'

const argument = (name, fallback) =>
  process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback
const rounds = argument('--rounds', 5)
const concurrency = argument('--concurrency', availableParallelism())
const sample = fileURLToPath(new URL('../../../data/sample/', import.meta.url))

const images = []
for (const folder of await readdir(join(sample, 'images'))) {
  for (const name of await readdir(join(sample, 'images', folder))) images.push(join(sample, 'images', folder, name))
}
const videos = (await readdir(join(sample, 'videos'))).map((name) => join(sample, 'videos', name))

async function measure(label, work) {
  const times = []
  let units = 0
  let stats
  for (let round = 0; round < rounds; round++) {
    const tools = createMediaTools({ concurrency })
    const started = process.hrtime.bigint()
    units = await work(tools)
    times.push(Number(process.hrtime.bigint() - started) / 1e9)
    stats = tools.stats()
    await tools.close()
  }
  times.sort((a, b) => a - b)
  const median = times[Math.floor(times.length / 2)]
  return {
    label,
    units,
    medianSeconds: Number(median.toFixed(3)),
    perSecond: Number((units / median).toFixed(1)),
    stats,
  }
}

const pool = async (items, task) => {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await task(items[next++])
    }),
  )
}

const results = [
  await measure(`images, default policy (1003520 px, JPEG q90), ${images.length} files`, async (tools) => {
    await pool(images, (path) => tools.prepareImage(path))
    return images.length
  }),
  await measure(`images, 401408 px budget, ${images.length} files`, async (tools) => {
    await pool(images, (path) => tools.prepareImage(path, { maxPixels: 401408 }))
    return images.length
  }),
  await measure(`video frames (8 frames, <= 2 fps, 602112 px), ${videos.length} clips`, async (tools) => {
    let frames = 0
    await pool(videos, async (path) => {
      const video = await tools.prepareVideo(path, { maxPixels: 602112 })
      frames += video.frames.length
    })
    return frames
  }),
]
console.log(
  JSON.stringify({ node: process.version, cpus: availableParallelism(), concurrency, rounds, results }, null, 2),
)
