import { describe, expect, it } from 'vitest'
import { smartResize } from './smart-resize.js'

const QWEN = { factor: 28, minPixels: 4 * 28 * 28, maxPixels: 1280 * 28 * 28 }

describe('smartResize', () => {
  // Expected sizes computed with the reference Python smart_resize of Qwen2.5-VL (qwen-vl-utils).
  it.each([
    [1280, 853, 1204, 812],
    [1024, 768, 1036, 756],
    [4032, 3024, 1148, 840],
    [96, 64, 84, 56],
    [10, 10, 56, 56],
    [854, 480, 840, 476],
    [1440, 900, 1260, 784],
    [42, 70, 56, 56], // 1.5 and 2.5 factors: Python rounds half to even
    [2400, 600, 1988, 476],
    [640, 480, 644, 476],
    [1920, 1080, 1316, 728],
    [7000, 35, 7000, 28],
  ])('%ix%i -> %ix%i like the reference processor', (width, height, expectedWidth, expectedHeight) => {
    expect(smartResize(width, height, QWEN)).toEqual({ width: expectedWidth, height: expectedHeight })
  })

  it('keeps both sides multiples of the factor and the pixel count within bounds, for any size', () => {
    let seed = 42
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    for (let i = 0; i < 5000; i++) {
      const width = 1 + Math.floor(random() * 9000)
      const height = Math.max(1, Math.min(20000, Math.round(width / (1 / 150 + random() * 150))))
      const bounds = [
        QWEN,
        { factor: 14, minPixels: 56 * 56, maxPixels: 512 * 512 },
        { factor: 32, minPixels: 1024, maxPixels: 602112 },
      ][i % 3]!
      const { width: w, height: h } = smartResize(width, height, bounds)
      expect(w % bounds.factor, `${width}x${height}`).toBe(0)
      expect(h % bounds.factor, `${width}x${height}`).toBe(0)
      expect(w * h, `${width}x${height}`).toBeLessThanOrEqual(bounds.maxPixels)
      if (Math.max(width, height) / Math.min(width, height) < 50)
        expect(w * h, `${width}x${height}`).toBeGreaterThanOrEqual(bounds.minPixels)
    }
  })

  it('keeps the aspect ratio within the rounding of one factor', () => {
    const { width, height } = smartResize(3000, 2000, QWEN)
    expect(Math.abs(width / height - 1.5)).toBeLessThan(28 / height)
  })

  it('shrinks the long side of a very elongated image rather than overshoot the budget', () => {
    const bounds = { factor: 28, minPixels: 3136, maxPixels: 28 * 28 * 10 }
    const { width, height } = smartResize(20000, 100, bounds)
    expect(height).toBe(28)
    expect(width * height).toBeLessThanOrEqual(bounds.maxPixels)
  })
})
