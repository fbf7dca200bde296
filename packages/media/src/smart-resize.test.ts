import { describe, expect, it } from 'vitest'
import { isWithinPixelBounds, smartResize } from './smart-resize.js'

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

describe('isWithinPixelBounds', () => {
  it.each([
    [1024, 768, true], // rounds to 1036x756: only rounding, 989,016 px
    [854, 480, true],
    [640, 480, true],
    [1000, 1000, false], // rounds to 1008x1008 = 1,016,064 px, above 1,003,520: smart_resize scales it down
    [1280, 853, false], // too many pixels
    [10, 10, false], // too few: upscaled
    [40, 40, false], // 28x28 = 784 px after rounding, below 3,136
    [56, 56, true],
    [2100, 30, true],
    [2100, 10, false], // a side below the factor: the processor raises an error for it
    [6300, 30, false], // 210:1, above the processor's 200:1
  ])('%ix%i -> %s', (width, height, expected) => {
    expect(isWithinPixelBounds(width, height, QWEN)).toBe(expected)
  })

  it('agrees with smartResize: within bounds means the target is the factor-rounded size', () => {
    const outcomes = { within: 0, outside: 0 }
    for (let width = 20; width < 1400; width += 37) {
      for (let height = 20; height < 1400; height += 41) {
        if (!isWithinPixelBounds(width, height, QWEN)) {
          outcomes.outside++
          continue
        }
        outcomes.within++
        const target = smartResize(width, height, QWEN)
        expect(Math.abs(target.width - width)).toBeLessThanOrEqual(14)
        expect(Math.abs(target.height - height)).toBeLessThanOrEqual(14)
        expect(target.width * target.height).toBeLessThanOrEqual(QWEN.maxPixels)
      }
    }
    expect(outcomes.within).toBeGreaterThan(100)
    expect(outcomes.outside).toBeGreaterThan(100)
  })
})
