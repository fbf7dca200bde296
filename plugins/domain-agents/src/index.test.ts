import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChatRequest, ContentPart, PreparedMedia } from '@dataflow/sdk'
import { createFakeInference, createFakeMedia, runNode } from '@dataflow/sdk/testing'
import { describe, expect, it } from 'vitest'
import agent, { ROLES } from './index.js'

const fakeMedia = createFakeMedia()
const image = await fakeMedia.prepareImage('/data/page.png')
const video = await fakeMedia.prepareVideo('/data/clip.mp4', { frames: 6 })
const imageMedia: PreparedMedia = { modality: 'image', image, originalWidth: 448, originalHeight: 448 }
const videoMedia: PreparedMedia = { modality: 'video', video, originalWidth: 448, originalHeight: 448 }
const contentOf = (request: ChatRequest) => request.messages.at(-1)?.content as ContentPart[]
const textOf = (request: ChatRequest) =>
  contentOf(request)
    .flatMap((part) => (part.type === 'text' ? [part.text] : []))
    .join('')

async function promptFor(role: string, media: PreparedMedia = imageMedia): Promise<string> {
  const inference = createFakeInference(() => 'answer')
  await runNode(agent, { inference, config: { role }, items: [{ outputs: { media } }] })
  return textOf(inference.requests[0]!)
}

describe('domain agent', () => {
  it('puts the image first and writes role, text and tokens', async () => {
    const inference = createFakeInference(() => '  Invoice No. 42  \n')
    const [outcome] = await runNode(agent, {
      inference,
      config: { role: 'ocr' },
      items: [{ outputs: { media: imageMedia } }],
    })
    expect(outcome).toEqual({
      id: '0',
      status: 'done',
      output: { role: 'ocr', text: 'Invoice No. 42', tokens: { prompt: 0, completion: 0 } },
    })
    const request = inference.requests[0]!
    expect(contentOf(request)[0]).toEqual({ type: 'image', image })
    expect(request.messages).toHaveLength(1)
    expect(request).toMatchObject({ model: 'vlm', maxTokens: 4096 })
  })

  it('has a distinct, fully rendered prompt for every image role', async () => {
    const imageRoles = ROLES.filter((role) => !role.startsWith('video-'))
    const prompts = await Promise.all(imageRoles.map((role) => promptFor(role)))
    expect(new Set(prompts).size).toBe(imageRoles.length)
    for (const prompt of prompts) expect(prompt).not.toContain('{{')
    expect(prompts[imageRoles.indexOf('ocr')]).toContain('transcribe all legible text')
  })

  it('speaks of frames for video: video roles directly, image roles through the preamble', async () => {
    const videoPrompt = await promptFor('video-perception', videoMedia)
    expect(videoPrompt).toMatch(/^The images above are 6 frames sampled uniformly/)
    expect(videoPrompt).toContain('about 4 seconds')
    const inference = createFakeInference(() => 'frames')
    await runNode(agent, {
      inference,
      config: { role: 'natural-perception' },
      items: [{ outputs: { media: videoMedia } }],
    })
    expect(contentOf(inference.requests[0]!)[0]).toEqual({ type: 'video', video })
    expect(textOf(inference.requests[0]!)).toMatch(
      /^The images above are 6 frames[\s\S]*You are the perception specialist/,
    )
  })

  it('refuses a video role on an image item', async () => {
    const [outcome] = await runNode(agent, {
      config: { role: 'video-reasoning' },
      items: [{ outputs: { media: imageMedia } }],
    })
    expect(outcome).toMatchObject({ status: 'error', error: { code: 'DATAFLOW_INPUT_INVALID' } })
  })

  it('runs a custom prompt file relative to the pipeline, with vars, domain and a system message', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'agent-'))
    await writeFile(join(dir, 'colours.md'), 'List the {{count}} dominant colours of this {{domain}} image.\n')
    const inference = createFakeInference(() => 'red, blue')
    const [outcome] = await runNode(agent, {
      inference,
      baseDir: dir,
      config: {
        prompt: 'colours.md',
        system: 'Be terse.',
        vars: { count: 3 },
        model: 'llm',
        temperature: 0.2,
        maxTokens: 64,
      },
      items: [{ outputs: { media: imageMedia, route: { domain: 'synthetic' } } }],
    })
    expect(outcome).toMatchObject({ status: 'done', output: { role: 'node-under-test', text: 'red, blue' } })
    const request = inference.requests[0]!
    expect(request).toMatchObject({ model: 'llm', temperature: 0.2, maxTokens: 64 })
    expect(request.messages[0]).toEqual({ role: 'system', content: 'Be terse.' })
    expect(textOf(request)).toBe('List the 3 dominant colours of this synthetic image.')
  })

  it('fails at create time on a placeholder nothing fills, and per item when the domain is missing', async () => {
    await expect(runNode(agent, { config: { prompt: 'Describe {{colour}}.' }, items: [] })).rejects.toThrow(
      /no value for \{\{colour\}\}/,
    )
    const [outcome] = await runNode(agent, {
      config: { prompt: 'A {{domain}} image.' },
      items: [{ outputs: { media: imageMedia } }],
    })
    expect(outcome).toMatchObject({ status: 'error', error: { code: 'DATAFLOW_INPUT_INVALID' } })
  })

  it('rejects an unknown role and a config with neither role nor prompt', async () => {
    await expect(runNode(agent, { config: { role: 'poet' }, items: [] })).rejects.toThrow(/role/)
    await expect(runNode(agent, { config: {}, items: [] })).rejects.toThrow(/invalid config/)
  })

  it('reports an empty answer as invalid output with the raw text, and marks truncation', async () => {
    const [empty] = await runNode(agent, {
      inference: createFakeInference(() => '   '),
      config: { role: 'coder' },
      items: [{ outputs: { media: imageMedia } }],
    })
    expect(empty).toMatchObject({
      status: 'error',
      error: { code: 'DATAFLOW_OUTPUT_INVALID', details: { raw: '   ' } },
    })
    const truncating = createFakeInference(() => 'x')
    const chat = truncating.chat.bind(truncating)
    truncating.chat = async (request, options) => ({ ...(await chat(request, options)), finishReason: 'length' })
    const [cut] = await runNode(agent, {
      inference: truncating,
      config: { role: 'ocr' },
      items: [{ outputs: { media: imageMedia } }],
    })
    expect(cut).toMatchObject({ status: 'done', output: { truncated: true } })
  })
})
