import type { ImageRef, InferenceClient } from '@dataflow/sdk'
import {
  createInferenceService,
  type InferenceService,
  type InferenceServiceOptions,
} from '../src/inference-service.js'
import type { ModelConfig } from '../src/model-config.js'
import { createCapturingLogger } from './test-logger.js'

/** A fake prepared image whose bytes are the text of its hash. */
export function testImage(hash: string, timestamp?: number): ImageRef {
  return {
    kind: 'image',
    hash,
    mime: 'image/jpeg',
    width: 28,
    height: 28,
    source: `/data/${hash}.jpg`,
    policy: 'test',
    ...(timestamp === undefined ? {} : { timestamp }),
  }
}

export interface TestService {
  service: InferenceService
  lines: string[]
  /** Hashes passed to resolveImage (the default one, bytes of the hash text, or `options.resolveImage`), in call order. */
  resolved: string[]
  client(node?: string, priority?: number, sequence?: number, signal?: AbortSignal): InferenceClient
}

/** Fast test defaults: short backoff, no jitter surprises. */
export const fast: Partial<ModelConfig> = { backoff: { baseMs: 5, maxMs: 50 }, timeoutMs: 5000, retries: 2 }

export function createTestService(
  models: Record<string, ModelConfig>,
  options: Partial<Omit<InferenceServiceOptions, 'models' | 'logger'>> = {},
): TestService {
  const { logger, lines } = createCapturingLogger()
  const resolved: string[] = []
  const { resolveImage = async (ref: ImageRef) => new TextEncoder().encode(`bytes of ${ref.hash}`), ...rest } = options
  const service = createInferenceService({
    models,
    logger,
    resolveImage: async (ref) => {
      resolved.push(ref.hash)
      return resolveImage(ref)
    },
    random: () => 0.5,
    ...rest,
  })
  return {
    service,
    lines,
    resolved,
    client: (node = 'agent', priority = 1, sequence = 0, signal) =>
      service.clientFor({ node, priority, sequence, ...(signal ? { signal } : {}) }),
  }
}
