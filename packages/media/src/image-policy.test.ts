import { describe, expect, it } from 'vitest'
import { isDataflowError } from '@dataflow/sdk'
import { DEFAULT_IMAGE_POLICY, fromPolicyKey, resolveImagePolicy, toPolicyKey } from './image-policy.js'

describe('image policy', () => {
  it('fills the SDK defaults (Qwen2.5-VL budget, originals when they fit, else JPEG 90; strict decoding; no SVG)', () => {
    expect(resolveImagePolicy()).toEqual({
      maxPixels: 1003520,
      minPixels: 3136,
      factor: 28,
      format: 'jpeg',
      quality: 90,
      maxInputPixels: 178956970,
      maxAspectRatio: 200,
      sendOriginal: true,
      decoderWarnings: 'error',
      svg: 'refuse',
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
      'format=webp&quality=75&factor=28&minPixels=3136&maxPixels=401408&maxInputPixels=178956970&maxAspectRatio=200' +
        '&sendOriginal=true&decoderWarnings=error&svg=refuse',
    )
    expect(fromPolicyKey(key)).toEqual(policy)
    const relaxed = resolveImagePolicy({ sendOriginal: false, decoderWarnings: 'ignore', svg: 'rasterize' })
    expect(fromPolicyKey(toPolicyKey(relaxed))).toEqual(relaxed)
  })

  it('reads a key written before sendOriginal, decoderWarnings and svg existed as what it meant then', () => {
    const old =
      'format=jpeg&quality=90&factor=28&minPixels=3136&maxPixels=1003520&maxInputPixels=178956970&maxAspectRatio=200'
    expect(fromPolicyKey(old)).toMatchObject({ sendOriginal: false, decoderWarnings: 'ignore', svg: 'rasterize' })
  })

  it('refuses a key it did not make', () => {
    expect(() => fromPolicyKey('fake')).toThrow(/not made by @dataflow\/media/)
  })

  it('refuses bounds that cannot be met, naming each problem', () => {
    try {
      resolveImagePolicy({
        factor: 0,
        minPixels: 5000,
        maxPixels: 4000,
        quality: 101,
        decoderWarnings: 'warn' as 'error',
        svg: 'render' as 'refuse',
      })
      expect.unreachable()
    } catch (error) {
      expect(isDataflowError(error) && error.code).toBe('DATAFLOW_CONFIG_INVALID')
      expect((error as Error).message).toMatch(/factor must be a positive integer/)
      expect((error as Error).message).toMatch(/minPixels \(5000\) must not exceed maxPixels \(4000\)/)
      expect((error as Error).message).toMatch(/quality must be an integer from 1 to 100/)
      expect((error as Error).message).toMatch(/decoderWarnings must be one of error, ignore \(got warn\)/)
      expect((error as Error).message).toMatch(/svg must be one of refuse, rasterize \(got render\)/)
    }
  })
})
