import { availableParallelism } from 'node:os'
import type { MediaResult } from '../jobs/media-job.js'
import type { Scenario } from '../scenario.js'
import { num } from '../support/format.js'
import { runWorker } from '../support/run-worker.js'
import { withFleet } from '../support/with-fleet.js'

const ROUNDS = 5

/** Issue 5: sharp and ffmpeg throughput, and each image decoded and encoded once whatever the number of agents. */
export const mediaScenario: Scenario = {
  name: 'media',
  title: 'media: image and frame preparation, encode once per image (issue 5)',
  async run(context) {
    const concurrency = availableParallelism()
    context.log(`media: ${ROUNDS} rounds of sharp and ffmpeg work, then 4 agents per image against a simulator`)
    const { result } = await withFleet([{ maxSeqs: 64, timeScale: 0.002 }], (fleet) =>
      runWorker<MediaResult>(
        {
          type: 'media',
          rounds: ROUNDS,
          concurrency,
          vlmUrl: fleet.servers[0]!.url,
        },
        { profileDir: context.profileDir, label: 'media' },
      ),
    )
    const once = result.encodeOnce
    const [before, after] = [result.throughput[0]!, result.throughput[1]!]
    const perItem = (value: number) => num(value / once.items, 2)
    return {
      parameters: [
        ['data', 'data/sample: 26 images (PNG and JPEG, up to 1600 px), 3 video clips'],
        ['rounds', `${ROUNDS}, fresh media tools each (no cache carried over); median shown`],
        ['concurrency', `${concurrency} (the media tools' default: one per CPU)`],
        [
          'encode-once pipeline',
          'media -> 4 agents (guideline, perception, reasoning, OCR) on the 26 images, simulator in its own process',
        ],
      ],
      tables: [
        {
          headers: ['Work', 'Units', 'Sent as they are', 'Median s', 'Units/s', 'CPU ms/unit'],
          rows: result.throughput.map((row) => [
            row.label,
            String(row.units),
            String(row.originals),
            num(row.seconds, 3),
            num(row.perSecond, 1),
            num(row.cpuMsPerUnit, 2),
          ]),
        },
        {
          caption: 'Encode once: 4 agents per image',
          headers: [
            'Items',
            'Model requests',
            'Decodes/item',
            'Encodes/item',
            'Sent as they are',
            'Data-URL (base64) encodings/item',
            'Distinct images encoded',
            'Cache hits',
            'Joined in-flight preparations',
          ],
          rows: [
            [
              String(once.items),
              String(once.requests),
              perItem(once.media.decodes),
              perItem(once.media.encodes),
              String(once.media.originals),
              perItem(once.dataUrlEncodings),
              String(once.distinctDataUrlImages),
              String(once.media.cacheHits),
              String(once.media.dedupedCalls),
            ],
          ],
        },
      ],
      checks: [
        {
          target:
            'each image decoded once and encoded at most once per resize policy per item, whatever the number of agents',
          measured: `${perItem(once.media.decodes)} decodes, ${perItem(once.media.encodes)} encodes (${once.media.originals} of ${once.items} images sent as they are), ${perItem(once.dataUrlEncodings)} base64 encodings per item for ${once.requests} requests`,
          pass:
            once.media.decodes === once.items &&
            once.media.encodes + once.media.originals === once.items &&
            once.dataUrlEncodings === once.items,
        },
        {
          target:
            'sending images as they are when they fit costs less CPU per image than encoding every image (issue 12)',
          measured: `${num(after.cpuMsPerUnit, 2)} vs ${num(before.cpuMsPerUnit, 2)} CPU ms/image (${num(after.cpuMsPerUnit / before.cpuMsPerUnit, 2)}x), ${after.originals} of ${after.units} images sent as they are`,
          pass: after.originals > 0 && after.cpuMsPerUnit < before.cpuMsPerUnit,
        },
      ],
      notes: [
        'Sent as they are: images whose own bytes go to the model (JPEG, PNG or WebP within the pixel bounds, upright, 8-bit sRGB, opaque), validated by one full decode and never encoded; the others are decoded, resized or converted and encoded once.',
        'CPU ms/unit counts every thread of the process (sharp decodes and encodes on libvips threads) and the finished ffmpeg/ffprobe child processes (from /proc/self/stat).',
        "Decodes and encodes come from the media tools' counters; base64 encodings are counted where the inference layer asks for an image's bytes to build its data URL (once per image while it stays in its cache).",
      ],
    }
  },
}
