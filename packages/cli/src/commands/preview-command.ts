import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runPipeline } from '@dataflow/core'
import { toRecordedRequest, type ChatRequest, type InferenceClient, type JsonChatRequest } from '@dataflow/sdk'
import { COMMON_FLAGS } from '../flags.js'
import { formatPreview, type PreviewExchange } from '../format-preview.js'
import { loadOrReport } from '../load-or-report.js'
import { toNumber } from '../parse-command-line.js'
import { readItemTraces } from '../read-item-traces.js'
import { toCacheOptions } from './cache-options.js'
import type { Command } from './command.js'
import { toTapeWrapper } from './tape-options.js'

export const PREVIEW_FLAGS = {
  ...COMMON_FLAGS,
  items: { type: 'string', short: 'n', value: '<n>', description: 'How many input items to run (default 3).' },
  out: {
    type: 'string',
    short: 'o',
    value: '<dir>',
    description: 'Keep the run directory here (default: a temporary one, removed afterwards).',
  },
  replay: {
    type: 'string',
    value: '<file>',
    description: 'Answer from a --record file instead of the servers.',
  },
  cache: {
    type: 'string',
    value: '<mode>',
    description: 'Request cache: read-write (default), read-only, refresh or off.',
  },
} as const

export const previewCommand: Command<typeof PREVIEW_FLAGS> = {
  name: 'preview',
  usage: 'dataflow preview <pipeline.yaml> [-n 3] [--out dir] [--replay file] [--set path=value ...]',
  summary: 'Run the first few items and print, per item and node, the prompt sent and the answer.',
  flags: PREVIEW_FLAGS,
  async run({ flags, positionals, io }) {
    const count = toNumber(flags.items, 'items', { min: 1, integer: true }) ?? 3
    const pipeline = await loadOrReport(positionals[0]!, flags.set, io.stderr)
    if (!pipeline) return 2
    const replay = toTapeWrapper(undefined, flags.replay)
    const exchanges: PreviewExchange[] = []
    const out = flags.out ?? (await mkdtemp(join(tmpdir(), 'dataflow-preview-')))
    try {
      const result = await runPipeline(pipeline, {
        out,
        limit: count,
        quiet: true,
        logLevel: 'silent',
        set: flags.set ?? [],
        cache: flags.replay === undefined ? toCacheOptions(flags.cache, undefined) : { mode: 'off' },
        wrapClient: (client, binding) =>
          capture(replay ? replay(client) : client, (request, kind, answer) =>
            exchanges.push({
              sequence: binding.sequence,
              node: binding.node,
              request: toRecordedRequest(kind, request),
              answer,
            }),
          ),
      })
      io.stdout.write(formatPreview(readItemTraces(result.runDir.path, count), exchanges))
      if (flags.out !== undefined) io.stdout.write(`run directory: ${result.runDir.path}\n`)
      return 0
    } finally {
      if (flags.out === undefined) await rm(out, { recursive: true, force: true })
    }
  },
}

type Observe = (request: ChatRequest | JsonChatRequest, kind: 'chat' | 'chatJson', answer: string) => void

/** A client that reports each answered request; failures are shown by the node's error instead. */
function capture(client: InferenceClient, observe: Observe): InferenceClient {
  return {
    hasModel: (name) => client.hasModel(name),
    async chat(request, options) {
      const result = await client.chat(request, options)
      observe(request, 'chat', result.text)
      return result
    },
    async chatJson(request, options) {
      const result = await client.chatJson(request, options)
      observe(request, 'chatJson', result.text)
      return result as never
    },
  }
}
