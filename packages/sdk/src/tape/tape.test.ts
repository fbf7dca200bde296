import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createFakeInference } from '../testing/fake-inference.js'
import { createFakeMedia } from '../testing/fake-media.js'
import { createRecordingInference } from './recording-inference.js'
import { createRecordingWriter } from './recording.js'
import { createReplayInference } from './replay-inference.js'

const answerSchema = { type: 'object', properties: { label: { type: 'string' } }, required: ['label'] }

describe('record and replay', () => {
  it('replays the answers a run recorded, for chat and chatJson, with media by hash', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dataflow-tape-')), 'tape.jsonl')
    const image = await createFakeMedia().prepareImage('/data/cat.jpg')
    const live = createFakeInference((request) =>
      'schema' in request ? { label: 'cat' } : `caption of ${request.messages.length} message(s)`,
    )
    const recording = createRecordingInference(live, createRecordingWriter(path))
    const chat = {
      model: 'vlm',
      messages: [
        {
          role: 'user' as const,
          content: [
            { type: 'image' as const, image },
            { type: 'text' as const, text: 'Describe.' },
          ],
        },
      ],
      maxTokens: 64,
    }
    const json = {
      model: 'llm',
      messages: [{ role: 'user' as const, content: 'Label it.' }],
      schema: answerSchema,
      schemaName: 'label',
    }
    const first = await recording.chat(chat)
    const firstJson = await recording.chatJson<{ label: string }>(json)
    const lines = readFileSync(path, 'utf8').trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toContain(image.hash)
    expect(lines[0]).not.toContain('/data/cat.jpg')

    const replay = createReplayInference(path)
    expect(await replay.chat({ ...chat, messages: structuredClone(chat.messages) })).toMatchObject({
      text: first.text,
      cached: true,
      attempts: 0,
    })
    expect(await replay.chatJson<{ label: string }>(json)).toMatchObject({
      value: firstJson.value,
      text: firstJson.text,
    })
  })

  it('names the request that the recording does not hold', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dataflow-tape-')), 'tape.jsonl')
    writeFileSync(path, '')
    const replay = createReplayInference(path)
    await expect(
      replay.chat({ model: 'llm', messages: [{ role: 'user', content: 'A question nobody recorded.' }] }),
    ).rejects.toMatchObject({
      code: 'DATAFLOW_REPLAY_MISS',
      message: expect.stringContaining('holds no answer for chat to model "llm": "A question nobody recorded."'),
    })
  })

  it('gives the answers of a request recorded several times in order, then the last again', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dataflow-tape-')), 'tape.jsonl')
    let n = 0
    const recording = createRecordingInference(
      createFakeInference(() => `sample ${++n}`),
      createRecordingWriter(path),
    )
    const request = { model: 'llm', messages: [{ role: 'user' as const, content: 'Write a line.' }], temperature: 1 }
    await recording.chat(request)
    await recording.chat(request)
    const replay = createReplayInference(path)
    const texts = [await replay.chat(request), await replay.chat(request), await replay.chat(request)].map(
      (r) => r.text,
    )
    expect(texts).toEqual(['sample 1', 'sample 2', 'sample 2'])
  })
})
