import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ContentPart, PreparedMedia } from '@dataflow/sdk'
import { createFakeInference, createFakeMedia, runNode } from '@dataflow/sdk/testing'
import { describe, expect, it } from 'vitest'
import captioner from './index.js'

const fakeMedia = createFakeMedia()
const image = await fakeMedia.prepareImage('/data/cat.jpg')
const video = await fakeMedia.prepareVideo('/data/clip.mp4', { frames: 16 })
const imageMedia: PreparedMedia = { modality: 'image', image, originalWidth: 448, originalHeight: 448 }
const videoMedia: PreparedMedia = { modality: 'video', video, originalWidth: 448, originalHeight: 448 }

describe('metacaptioner', () => {
  it('captions an image in one call: the image, then the instruction', async () => {
    const inference = createFakeInference(() => ' A grey cat asleep on a red sofa. ', ['captioner'])
    const [outcome] = await runNode(captioner, { inference, items: [{ outputs: { media: imageMedia } }] })
    expect(outcome).toEqual({
      id: '0',
      status: 'done',
      output: { caption: 'A grey cat asleep on a red sofa.', tokens: { prompt: 0, completion: 0 } },
    })
    expect(inference.requests).toHaveLength(1)
    expect(inference.requests[0]).toMatchObject({
      model: 'captioner',
      maxTokens: 2048,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', image },
            { type: 'text', text: 'Describe this image in detail.' },
          ],
        },
      ],
    })
  })

  it('uses the video instruction for videos and accepts file overrides with placeholders', async () => {
    const inference = createFakeInference(() => 'A clip.', ['captioner'])
    await runNode(captioner, { inference, items: [{ outputs: { media: videoMedia } }] })
    expect(inference.requests[0]?.messages[0]?.content).toEqual([
      { type: 'video', video },
      { type: 'text', text: 'Describe this video in detail.' },
    ])

    const dir = await mkdtemp(join(tmpdir(), 'captioner-'))
    await writeFile(join(dir, 'video.md'), 'Describe these {{frames}} frames ({{duration}} s) as one clip.')
    const custom = createFakeInference(() => 'A clip.', ['captioner'])
    await runNode(captioner, {
      inference: custom,
      baseDir: dir,
      config: { videoPrompt: 'video.md', temperature: 0.7 },
      items: [{ outputs: { media: videoMedia } }],
    })
    const content = custom.requests[0]?.messages[0]?.content as ContentPart[]
    expect(content[1]).toEqual({ type: 'text', text: 'Describe these 16 frames (4 s) as one clip.' })
    expect(custom.requests[0]?.temperature).toBe(0.7)
  })

  it('reads media from another path, and reports a missing media or an empty answer', async () => {
    const inference = createFakeInference(() => 'ok', ['captioner'])
    const [moved] = await runNode(captioner, {
      inference,
      config: { media: 'prep.media' },
      items: [{ outputs: { prep: { media: imageMedia } } }],
    })
    expect(moved).toMatchObject({ status: 'done' })
    const [missing] = await runNode(captioner, { inference, items: [{ outputs: {} }] })
    expect(missing).toMatchObject({ status: 'error', error: { code: 'DATAFLOW_INPUT_INVALID' } })
    const [empty] = await runNode(captioner, {
      inference: createFakeInference(() => '\n', ['captioner']),
      items: [{ outputs: { media: imageMedia } }],
    })
    expect(empty).toMatchObject({ status: 'error', error: { code: 'DATAFLOW_OUTPUT_INVALID', details: { raw: '\n' } } })
  })

  it('refuses a prompt file that does not exist when the pipeline loads', async () => {
    await expect(
      runNode(captioner, { baseDir: '/nonexistent', config: { prompt: 'caption.md' }, items: [] }),
    ).rejects.toThrow(/cannot read prompt file \/nonexistent\/caption.md/)
  })
})
