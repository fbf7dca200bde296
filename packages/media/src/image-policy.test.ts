import { describe, expect, it } from 'vitest'
import { isDataflowError } from '@dataflow/sdk'
import { DEFAULT_IMAGE_POLICY, fromPolicyKey, resolveImagePolicy, toPolicyKey } from './image-policy.js'

describe('image policy', () => {
  it('fills the SDK defaults (Qwen2.5-VL budget, JPEG 90)', () => {
    expect(resolveImagePolicy()).toEqual({
      maxPixels: 1003520,
      minPixels: 3136,
      factor: 28,
      format: 'jpeg',
      quality: 90,
      maxInputPixels: 178956970,
      maxAspectRatio: 200,
    })
  })

  it('gives equal keys to equal policies, however they are written', () => {
    expect(toPolicyKey(resolveImagePolicy({}))).toBe(toPolicyKey(resolveImagePolicy({ ...DEFAULT_IMAGE_POLICY })))
    expect(toPolicyKey(resolveImagePolicy({ quality: 80 }))).not.toBe(toPolicyKey(resolveImagePolicy({})))
    // PNG ignores quality, so its key does too.
    expect(toPolicyKey(resolveImagePolicy({ format: 'png', quality: 50 }))).toBe(
      toPolicyKey(resolveImagePolicy({ format: 'png' })),
    )
  })

  it('rebuilds the policy from its key', () => {
    const policy = resolveImagePolicy({ maxPixels: 401408, format: 'webp', quality: 75 })
    const key = toPolicyKey(policy)
    expect(key).toBe(
      'format=webp&quality=75&factor=28&minPixels=3136&maxPixels=401408&maxInputPixels=178956970&maxAspectRatio=200',
    )
    expect(fromPolicyKey(key)).toEqual(policy)
  })

  it('refuses a key it did not make', () => {
    expect(() => fromPolicyKey('fake')).toThrow(/not made by @dataflow\/media/)
  })

  it('refuses bounds that cannot be met, naming each problem', () => {
    try {
      resolveImagePolicy({ factor: 0, minPixels: 5000, maxPixels: 4000, quality: 101 })
      expect.unreachable()
    } catch (error) {
      expect(isDataflowError(error) && error.code).toBe('DATAFLOW_CONFIG_INVALID')
      expect((error as Error).message).toMatch(/factor must be a positive integer/)
      expect((error as Error).message).toMatch(/minPixels \(5000\) must not exceed maxPixels \(4000\)/)
      expect((error as Error).message).toMatch(/quality must be an integer from 1 to 100/)
    }
  })
})
