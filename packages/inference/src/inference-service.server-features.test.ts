import { createHash } from 'node:crypto'
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { isDataflowError, type ImageRef } from '@dataflow/sdk'
import { startFaultServer, takeContractViolations, type FaultServer } from '../test-support/fault-server.js'
import { createTestService, fast, testImage, type TestService } from '../test-support/test-service.js'
import type { ModelConfig } from './model-config.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
  // Every body sent in these tests conforms to the official OpenAI request schema.
  expect(takeContractViolations()).toEqual([])
})

async function setup(
  config: Partial<ModelConfig>,
  text = '{"ok": true}',
): Promise<{ server: FaultServer; test: TestService }> {
  const server = await startFaultServer(() => ({ kind: 'ok', text }))
  const test = createTestService({ vlm: { baseURL: server.url, model: 'm', ...fast, ...config } })
  cleanups.push(
    () => server.close(),
    () => test.service.close(),
  )
  return { server, test }
}

const say = (text: string) => ({ model: 'vlm', messages: [{ role: 'user' as const, content: text }] })

const errorOf = (run: () => unknown): unknown => {
  try {
    run()
  } catch (error) {
    return error
  }
  return undefined
}

describe('priority in the server direction', () => {
  it('vLLM (lower first): deeper nodes send lower values; root nodes the default 0', async () => {
    const { server, test } = await setup({ server: 'vllm', priority: true })
    await test.client('route', 0).chat(say('root'))
    await test.client('judge', 3).chat(say('deep'))
    expect(server.requests.map((request) => request.body['priority'])).toEqual([0, -3])
  })

  it('SGLang (higher first): deeper nodes send higher values', async () => {
    const { server, test } = await setup({ server: 'sglang', priority: true })
    await test.client('judge', 3).chat(say('deep'))
    expect(server.requests[0]!.body['priority']).toBe(3)
  })

  it('an explicit direction for lmdeploy; no field at all unless asked', async () => {
    const { server, test } = await setup({ server: 'lmdeploy', priority: 'lower-first' })
    await test.client('judge', 2).chat(say('deep'))
    expect(server.requests[0]!.body['priority']).toBe(-2)
    const plain = await setup({ server: 'vllm' })
    await plain.test.client('judge', 2).chat(say('deep'))
    expect('priority' in plain.server.requests[0]!.body).toBe(false)
  })

  it('refuses a priority the server cannot take, saying what to write', () => {
    const refuse = (config: Partial<ModelConfig>) =>
      errorOf(() => createTestService({ vlm: { baseURL: 'http://127.0.0.1:1/v1', model: 'm', ...config } }))
    const hosted = refuse({ priority: true })
    expect(isDataflowError(hosted) && hosted.code).toBe('DATAFLOW_CONFIG_INVALID')
    expect(String((hosted as Error).message)).toContain('needs `server: vllm`, `sglang` or `lmdeploy`')
    const unknown = refuse({ server: 'lmdeploy', priority: true })
    expect(String((unknown as Error).message)).toContain('`priority: lower-first` or `priority: higher-first`')
  })

  it('priority does not split the request cache: the same request from two depths has one key', async () => {
    const keys: string[] = []
    const server = await startFaultServer(() => ({ kind: 'ok' }))
    const test = createTestService(
      { vlm: { baseURL: server.url, model: 'm', ...fast, server: 'vllm', priority: true } },
      {
        cache: {
          get: async (key) => {
            keys.push(key)
            return undefined
          },
          set: async () => undefined,
        },
      },
    )
    cleanups.push(
      () => server.close(),
      () => test.service.close(),
    )
    await test.client('a', 1).chat(say('same'))
    await test.client('b', 4).chat(say('same'))
    expect(keys).toHaveLength(2)
    expect(keys[0]).toBe(keys[1])
  })
})

describe('structured output per server kind', () => {
  it.each(['vllm', 'sglang', 'lmdeploy', 'openai'] as const)(
    '%s: response_format json_schema, no guided_* field',
    async (kind) => {
      const { server, test } = await setup({ server: kind })
      const schema = { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } }
      const result = await test.client().chatJson<{ ok: boolean }>({ ...say('judge'), schema, schemaName: 'verdict' })
      expect(result.value).toEqual({ ok: true })
      const body = server.requests[0]!.body
      expect(body['response_format']).toEqual({
        type: 'json_schema',
        json_schema: { name: 'verdict', schema, strict: true },
      })
      expect(Object.keys(body).filter((key) => key.startsWith('guided_'))).toEqual([])
    },
  )

  it('refuses guided_* fields (removed in vLLM 0.12) in defaults.extra and in a request, sending nothing', async () => {
    const error = errorOf(() =>
      createTestService({
        vlm: { baseURL: 'http://127.0.0.1:1/v1', model: 'm', server: 'vllm', defaults: { extra: { guided_json: {} } } },
      }),
    )
    expect(isDataflowError(error) && error.code).toBe('DATAFLOW_CONFIG_INVALID')
    expect(String((error as Error).message)).toContain('defaults.extra.guided_json')
    const { server, test } = await setup({ server: 'vllm' })
    const refused = await test
      .client()
      .chat({ ...say('x'), extra: { guided_choice: ['a', 'b'] } })
      .catch((reason: unknown) => reason)
    expect(isDataflowError(refused) && refused.code).toBe('DATAFLOW_CONFIG_INVALID')
    expect(server.requests).toHaveLength(0)
  })
})

describe('local media by path (localMediaRoot)', () => {
  async function dataset() {
    const base = await mkdtemp(join(tmpdir(), 'dataflow-local-media-'))
    cleanups.push(() => rm(base, { recursive: true, force: true }))
    const root = join(base, 'dataset')
    await mkdir(join(root, 'images'), { recursive: true })
    const bytes = Buffer.from('jpeg bytes of a photo')
    const hash = createHash('sha256').update(bytes).digest('hex')
    await writeFile(join(root, 'images', 'a.jpg'), bytes)
    await writeFile(join(base, 'outside.jpg'), bytes)
    await symlink(join(base, 'outside.jpg'), join(root, 'images', 'link.jpg'))
    const ref = (source: string, overrides: Partial<ImageRef> = {}): ImageRef => ({
      ...testImage(hash),
      source,
      ...overrides,
    })
    return { base, root, hash, ref }
  }

  const urlsSent = (server: FaultServer) =>
    server.requests.map((request) => {
      const content = (request.body['messages'] as { content: { type: string; image_url?: { url: string } }[] }[])[0]!
        .content
      return content.find((part) => part.type === 'image_url')!.image_url!.url
    })

  it('sends an unchanged image inside the root as a file:// URL, not as base64', async () => {
    const { root, ref } = await dataset()
    const { server, test } = await setup({ server: 'vllm', localMediaRoot: root })
    const image = ref(join(root, 'images', 'a.jpg'))
    await test.client().chat({
      model: 'vlm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', image },
            { type: 'text', text: 'Describe.' },
          ],
        },
      ],
    })
    expect(urlsSent(server)).toEqual([`file://${join(root, 'images', 'a.jpg')}`])
    expect(JSON.stringify(server.requests[0]!.body)).not.toContain('base64')
    // The media store was never asked for the bytes.
    expect(test.resolved).toEqual([])
  })

  it('keeps data URLs for a re-encoded image, a file outside the root, and a symlink leading out of it', async () => {
    const { base, root, ref } = await dataset()
    const { server, test } = await setup({ server: 'vllm', localMediaRoot: root })
    const images = [
      ref(join(root, 'images', 'a.jpg'), { hash: 'resized' }),
      ref(join(base, 'outside.jpg')),
      ref(join(root, 'images', 'link.jpg')),
      ref(join(root, '..', 'outside.jpg')),
    ]
    for (const image of images)
      await test.client().chat({ model: 'vlm', messages: [{ role: 'user', content: [{ type: 'image', image }] }] })
    const urls = urlsSent(server)
    expect(urls).toHaveLength(4)
    for (const url of urls) expect(url.startsWith('data:image/jpeg;base64,')).toBe(true)
  })

  it("trusts media preparation's own word on whether the bytes are the file's (sent: original / encoded)", async () => {
    const { root, ref } = await dataset()
    const { server, test } = await setup({ server: 'vllm', localMediaRoot: root })
    const source = join(root, 'images', 'a.jpg')
    const asIs = { ...ref(source, { hash: 'not-checked' }), sent: 'original' } as ImageRef
    const encoded = { ...ref(source), sent: 'encoded' } as ImageRef
    for (const image of [asIs, encoded])
      await test.client().chat({ model: 'vlm', messages: [{ role: 'user', content: [{ type: 'image', image }] }] })
    const urls = urlsSent(server)
    expect(urls[0]).toBe(`file://${source}`)
    expect(urls[1]!.startsWith('data:')).toBe(true)
  })

  it('without localMediaRoot every image is a data URL', async () => {
    const { root, ref } = await dataset()
    const { server, test } = await setup({ server: 'vllm' })
    const image = ref(join(root, 'images', 'a.jpg'))
    await test.client().chat({ model: 'vlm', messages: [{ role: 'user', content: [{ type: 'image', image }] }] })
    expect(urlsSent(server)[0]!.startsWith('data:')).toBe(true)
  })
})
