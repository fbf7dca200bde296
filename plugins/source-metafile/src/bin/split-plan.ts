#!/usr/bin/env node
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { isDataflowError } from '@dataflow/sdk'
import { createSplitPlan } from '../split-plan.js'

const USAGE = `usage: dataflow-split-plan <Metafile> <shards> [--out plan.jsonl] [--datasets a,b] [--image-weight 1] [--video-weight 8]

Writes the cost-balanced split plan that @dataflow/plugin-source-metafile computes for --shard i/<shards>
(JSONL, one slice per line) to --out, or to standard output. A summary per shard goes to standard error.`

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      datasets: { type: 'string' },
      'image-weight': { type: 'string' },
      'video-weight': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const [metafile, shards] = positionals
  const shardCount = Number(shards)
  if (values.help || metafile === undefined || !Number.isInteger(shardCount) || shardCount < 1) {
    process.stderr.write(`${USAGE}\n`)
    return values.help ? 0 : 2
  }
  const out = values.out === undefined ? undefined : resolve(values.out)
  const weight = (text: string | undefined) => (text === undefined ? undefined : Number(text))
  const image = weight(values['image-weight'])
  const video = weight(values['video-weight'])
  const lines = await createSplitPlan(resolve(metafile), shardCount, {
    ...(values.datasets === undefined
      ? {}
      : {
          datasets: values.datasets
            .split(',')
            .map((name) => name.trim())
            .filter(Boolean),
        }),
    weights: { ...(image === undefined ? {} : { image }), ...(video === undefined ? {} : { video }) },
    planFolder: out === undefined ? process.cwd() : dirname(out),
  })
  const text = lines.map((line) => JSON.stringify(line)).join('\n') + (lines.length > 0 ? '\n' : '')
  if (out === undefined) process.stdout.write(text)
  else {
    await mkdir(dirname(out), { recursive: true })
    await writeFile(out, text)
  }
  const total = lines.reduce((sum, line) => sum + line.weight, 0)
  for (let shard = 0; shard < shardCount; shard++) {
    const mine = lines.filter((line) => line.shard === shard)
    const items = mine.reduce((sum, line) => sum + line.end - line.start, 0)
    const share = total === 0 ? 0 : mine.reduce((sum, line) => sum + line.weight, 0) / total
    process.stderr.write(
      `shard ${shard + 1}/${shardCount}: ${items} items, ${(share * 100).toFixed(1)}% of the weight, ${mine.length} slice(s)\n`,
    )
  }
  return 0
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(
      `${isDataflowError(error) ? `${error.code}: ${error.message}${error.hint ? `\n${error.hint}` : ''}` : String(error)}\n`,
    )
    process.exitCode = 1
  },
)
