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
          headers: ['Work', 'Units', 'Median s', 'Units/s', 'CPU ms/unit'],
          rows: result.throughput.map((row) => [
            row.label,
            String(row.units),
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
          target: 'each image decoded and encoded once per resize policy per item, whatever the number of agents',
          measured: `${perItem(once.media.decodes)} decodes, ${perItem(once.media.encodes)} encodes, ${perItem(once.dataUrlEncodings)} base64 encodings per item for ${once.requests} requests`,
          pass:
            once.media.decodes === once.items &&
            once.media.encodes === once.items &&
            once.dataUrlEncodings === once.items,
        },
      ],
      notes: [
        'CPU ms/unit counts every thread of the process (sharp decodes and encodes on libvips threads) and the finished ffmpeg/ffprobe child processes (from /proc/self/stat).',
        "Decodes and encodes come from the media tools' counters; base64 encodings are counted where the inference layer asks for an image's bytes to build its data URL (once per image while it stays in its cache).",
      ],
    }
  },
}
