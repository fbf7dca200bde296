import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pino } from 'pino'
import { executePipeline, loadPipeline } from '@dataflow/core'
import { createInferenceService } from '@dataflow/inference'
import { createMediaTools, type MediaStats } from '@dataflow/media'
import type { ImageRef } from '@dataflow/sdk'
import { readSampleImages } from '../support/image-dataset.js'
import { childrenCpuMs } from '../support/process-meter.js'
import { benchPipeline, repoPath, RESOLVE_FROM } from '../support/paths.js'

export interface MediaJob {
  type: 'media'
  rounds: number
  concurrency: number
  /** Base URL of a simulator for the encode-once run. */
  vlmUrl: string
}

export interface ThroughputFigures {
  label: string
  units: number
  /** Images sent with their own bytes (validated by a decode, not encoded), in the median round. */
  originals: number
  /** Median of the rounds. */
  seconds: number
  perSecond: number
  cpuMsPerUnit: number
}

export interface MediaResult {
  throughput: ThroughputFigures[]
  encodeOnce: {
    items: number
    requests: number
    media: MediaStats
    /** Data URLs built by the inference layer (base64 of the encoded image). */
    dataUrlEncodings: number
    /** Distinct images among them. */
    distinctDataUrlImages: number
  }
}

async function measure(
  label: string,
  rounds: number,
  concurrency: number,
  work: (tools: ReturnType<typeof createMediaTools>) => Promise<number>,
): Promise<ThroughputFigures> {
  const results: Array<{ seconds: number; cpuMs: number; units: number; originals: number }> = []
  for (let round = 0; round < rounds; round++) {
    const tools = createMediaTools({ concurrency }) // fresh: nothing cached from the previous round
    const cpu = process.cpuUsage()
    const children = childrenCpuMs() ?? 0
    const started = performance.now()
    const units = await work(tools)
    const seconds = (performance.now() - started) / 1000
    const used = process.cpuUsage(cpu)
    results.push({
      seconds,
      cpuMs: (used.user + used.system) / 1000 + ((childrenCpuMs() ?? 0) - children),
      units,
      originals: tools.stats().originals,
    })
    await tools.close()
  }
  results.sort((a, b) => a.seconds - b.seconds)
  const median = results[Math.floor(results.length / 2)]!
  return {
    label,
    units: median.units,
    originals: median.originals,
    seconds: median.seconds,
    perSecond: median.units / median.seconds,
    cpuMsPerUnit: median.cpuMs / median.units,
  }
}

async function pool<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await task(items[next++]!)
    }),
  )
}

/** sharp and ffmpeg throughput on the sample media, and the encode-once check through a 4-agent pipeline. */
export async function runMediaJob(job: MediaJob): Promise<MediaResult> {
  const images = (await readSampleImages()).map((image) => image.path)
  const videos = ['life-240p.mp4', 'testcard-480p.mp4', 'valley-pan-480p.mp4'].map((name) =>
    repoPath(`data/sample/videos/${name}`),
  )
  const throughput = [
    await measure(
      `images, default policy, every image encoded (sendOriginal: false, the behaviour before issue 12), ${images.length} files`,
      job.rounds,
      job.concurrency,
      async (tools) => {
        await pool(
          images,
          job.concurrency,
          async (path) => void (await tools.prepareImage(path, { sendOriginal: false })),
        )
        return images.length
      },
    ),
    await measure(
      `images, default policy (≤ 1,003,520 px; originals when they fit, else JPEG q90), ${images.length} files`,
      job.rounds,
      job.concurrency,
      async (tools) => {
        await pool(images, job.concurrency, async (path) => void (await tools.prepareImage(path)))
        return images.length
      },
    ),
    await measure(`images, 401,408 px budget, ${images.length} files`, job.rounds, job.concurrency, async (tools) => {
      await pool(images, job.concurrency, async (path) => void (await tools.prepareImage(path, { maxPixels: 401408 })))
      return images.length
    }),
    await measure(
      `video frames (up to 8 per clip, ≤ 2 fps, ≤ 602,112 px), ${videos.length} clips`,
      job.rounds,
      job.concurrency,
      async (tools) => {
        let frames = 0
        await pool(videos, job.concurrency, async (path) => {
          frames += (await tools.prepareVideo(path, { maxPixels: 602112 })).frames.length
        })
        return frames
      },
    ),
  ]

  // Encode once: four agents per image, counting what the media tools and the data-URL cache do.
  const pipeline = await loadPipeline(benchPipeline('four-agents.yaml'), {
    env: { ...process.env, BENCH_VLM_URL: job.vlmUrl },
    resolveFrom: [RESOLVE_FROM],
  })
  const logger = pino({ level: 'silent' })
  const media = createMediaTools({ logger })
  const resolved: string[] = []
  const inference = createInferenceService({
    models: pipeline.models,
    logger,
    env: {},
    resolveImage: (ref: ImageRef) => {
      resolved.push(ref.hash)
      return media.readImage(ref)
    },
  })
  const runDir = await mkdtemp(join(tmpdir(), 'bench-media-'))
  try {
    const report = await executePipeline(pipeline, { runDir, logger, services: { inference, media } }).done
    const requests = Object.values(report.inference.models).reduce((sum, model) => sum + model.requests, 0)
    return {
      throughput,
      encodeOnce: {
        items: report.input,
        requests,
        media: media.stats(),
        dataUrlEncodings: resolved.length,
        distinctDataUrlImages: new Set(resolved).size,
      },
    }
  } finally {
    await inference.close()
    await media.close()
    await rm(runDir, { recursive: true, force: true })
  }
}
