import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChatRequest, JsonSchema } from '@dataflow/sdk'
import {
  startFaultServer,
  takeContractViolations,
  type CapturedRequest,
  type FaultServer,
  type Reply,
} from '../test-support/fault-server.js'
import { createTestService, fast, testImage } from '../test-support/test-service.js'
import { formatInferenceReport } from './format-inference-report.js'
import { createSqliteRequestCache, type RequestCacheMode } from './sqlite-request-cache.js'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
  expect(takeContractViolations()).toEqual([])
})

/** The last text part of the last message: which prompt a request carries. */
function promptOf(request: CapturedRequest): string {
  const messages = request.body['messages'] as { content: string | { type: string; text?: string }[] }[]
  const content = messages.at(-1)!.content
  return typeof content === 'string' ? content : content.filter((part) => part.type === 'text').at(-1)!.text!
}

/** Scripted answers: `fail` prompts get 500s, `garbage` prompts malformed bodies, `judge` prompts JSON (invalid for `bad json`). */
function reply(request: CapturedRequest): Reply {
  const prompt = promptOf(request)
  if (prompt.includes('fail')) return { kind: 'status', status: 500 }
  if (prompt.includes('garbage')) return { kind: 'malformed' }
  if (prompt.includes('bad json')) return { kind: 'ok', text: 'not json at all' }
  if (prompt.includes('Rate')) return { kind: 'ok', text: '{"score": 5}', promptTokens: 300, completionTokens: 4 }
  // Answers depend on the whole request (the image too), as a model's would.
  const digest = createHash('sha1').update(JSON.stringify(request.body['messages'])).digest('hex').slice(0, 8)
  return { kind: 'ok', text: `answer ${digest} to ${prompt}`, promptTokens: 200, completionTokens: 30 }
}

const schema: JsonSchema = { type: 'object', required: ['score'], properties: { score: { type: 'integer' } } }
const ITEMS = ['img1', 'img2', 'img3']

/** One "run" of a three-node pipeline over three images, sharing the cache file with other runs. */
async function runPipeline(
  server: FaultServer,
  path: string,
  prompts: { ocr: string; summary: string; judge: string },
  mode: RequestCacheMode = 'read-write',
) {
  const cache = createSqliteRequestCache({ path, mode })
  const test = createTestService({ vlm: { baseURL: server.url, model: 'Qwen/VL', ...fast, retries: 1 } }, { cache })
  const sentBefore = server.requests.length
  const outcomes: string[] = []
  await Promise.all(
    ITEMS.map(async (hash, sequence) => {
      const image = testImage(hash)
      const ask = (text: string): ChatRequest => ({
        model: 'vlm',
        temperature: 0,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', image },
              { type: 'text', text },
            ],
          },
        ],
      })
      try {
        const ocr = await test.client('ocr', 1, sequence).chat(ask(prompts.ocr))
        const summary = await test
          .client('summary', 2, sequence)
          .chat({ model: 'vlm', messages: [{ role: 'user', content: `${prompts.summary}: ${ocr.text}` }] })
        await test
          .client('judge', 3, sequence)
          .chatJson({ ...ask(`${prompts.judge}: ${summary.text}`), schema, schemaName: 'judge' })
        outcomes.push('ok')
      } catch (error) {
        outcomes.push((error as { code?: string }).code ?? 'error')
      }
    }),
  )
  const report = test.service.report()
  await test.service.close()
  cache.close()
  return { sent: server.requests.slice(sentBefore).map(promptOf), report, stats: cache.stats(), outcomes }
}

function setup(): { path: string; server: Promise<FaultServer> } {
  const folder = mkdtempSync(join(tmpdir(), 'dataflow-cache-service-'))
  const server = startFaultServer(reply)
  cleanups.push(
    () => rmSync(folder, { recursive: true, force: true }),
    async () => (await server).close(),
  )
  return { path: join(folder, 'cache', 'requests.sqlite'), server }
}

const PROMPTS = { ocr: 'Read the text.', summary: 'Summarise', judge: 'Rate this caption' }

describe('the inference service with the SQLite request cache', () => {
  it('a second run answers everything from the cache; a prompt edit re-pays only that node', async () => {
    const { path, server: started } = setup()
    const server = await started
    const first = await runPipeline(server, path, PROMPTS)
    expect(first.sent).toHaveLength(9)
    expect(first.stats).toMatchObject({ hits: 0, misses: 9, writes: 9 })

    const second = await runPipeline(server, path, PROMPTS)
    expect(second.sent).toEqual([])
    expect(second.outcomes).toEqual(['ok', 'ok', 'ok'])
    expect(second.stats).toEqual({
      hits: 9,
      misses: 0,
      writes: 0,
      savedPromptTokens: 3 * 200 + 3 * 200 + 3 * 300,
      savedCompletionTokens: 3 * 30 + 3 * 30 + 3 * 4,
    })
    // The run's report counts the hits and the tokens they saved, per node and per model.
    expect(second.report.nodes['ocr']!['vlm']).toMatchObject({
      requests: 3,
      attempts: 0,
      cachedAnswers: 3,
      savedPromptTokens: 600,
      savedCompletionTokens: 90,
      promptTokens: 0,
    })
    expect(second.report.nodes['judge']!['vlm']).toMatchObject({ cachedAnswers: 3, savedPromptTokens: 900 })
    expect(second.report.models['vlm']).toMatchObject({
      cachedAnswers: 9,
      savedPromptTokens: 2100,
      savedCompletionTokens: 192,
    })
    expect(formatInferenceReport(second.report)).toContain(
      'Request cache: 9 answers reused, saving 2,100 prompt + 192 completion tokens',
    )
    expect(formatInferenceReport(first.report)).not.toContain('Request cache:')

    // Editing the summary prompt changes the summaries, hence the judge's input too; OCR is reused.
    const edited = await runPipeline(server, path, { ...PROMPTS, summary: 'Summarise in one paragraph' })
    expect(edited.sent.filter((prompt) => prompt.startsWith('Read'))).toEqual([])
    expect(edited.sent.filter((prompt) => prompt.startsWith('Summarise in one paragraph'))).toHaveLength(3)
    expect(edited.report.nodes['ocr']!['vlm']).toMatchObject({ cachedAnswers: 3, attempts: 0 })
    expect(edited.report.nodes['summary']!['vlm']).toMatchObject({ cachedAnswers: 0, attempts: 3 })

    // Editing only the judge prompt re-pays only the judge.
    const rejudged = await runPipeline(server, path, { ...PROMPTS, judge: 'Rate this caption strictly' })
    expect(rejudged.sent).toHaveLength(3)
    expect(rejudged.sent.every((prompt) => prompt.startsWith('Rate this caption strictly'))).toBe(true)

    // The file holds hashes and answers, never image bytes or data URLs.
    const bytes = readFileSync(path).toString('latin1')
    expect(bytes).not.toContain('base64')
    expect(bytes).not.toContain('bytes of img1')
  })

  it('never stores errors, malformed bodies or answers that stayed invalid', async () => {
    const { path, server: started } = setup()
    const server = await started
    const cases = [
      { prompts: { ...PROMPTS, ocr: 'please fail' }, code: 'DATAFLOW_INFERENCE_FAILED', resent: 6, hits: 0 },
      { prompts: { ...PROMPTS, ocr: 'garbage please' }, code: 'DATAFLOW_INFERENCE_FAILED', resent: 6, hits: 0 },
      // The judge's answers stay invalid after the re-ask: both asks are sent again, OCR and summary come from the cache.
      { prompts: { ...PROMPTS, judge: 'bad json' }, code: 'DATAFLOW_OUTPUT_INVALID', resent: 6, hits: 6 },
    ]
    for (const { prompts, code, resent, hits } of cases) {
      const first = await runPipeline(server, path, prompts)
      expect(first.outcomes).toEqual([code, code, code])
      const second = await runPipeline(server, path, prompts)
      expect(second.outcomes).toEqual([code, code, code])
      expect(second.sent).toHaveLength(resent)
      expect(second.stats).toMatchObject({ hits, writes: 0 })
    }
  })

  it('read-only serves hits without storing the new answers; refresh re-asks and overwrites', async () => {
    const { path, server: started } = setup()
    const server = await started
    await runPipeline(server, path, PROMPTS)
    const readOnly = await runPipeline(server, path, { ...PROMPTS, judge: 'Rate it' }, 'read-only')
    expect(readOnly.sent).toHaveLength(3)
    expect(readOnly.stats).toMatchObject({ hits: 6, misses: 3, writes: 0 })
    const again = await runPipeline(server, path, { ...PROMPTS, judge: 'Rate it' }, 'read-only')
    expect(again.sent).toHaveLength(3)
    const refresh = await runPipeline(server, path, PROMPTS, 'refresh')
    expect(refresh.sent).toHaveLength(9)
    expect(refresh.stats).toMatchObject({ hits: 0, misses: 9, writes: 9 })
    expect(refresh.report.models['vlm']).toMatchObject({ cachedAnswers: 0 })
  })
})
