import { describe, expect, it } from 'vitest'
import { isContainerLocator, toMediaLocation, toMediaLocator, type MediaLocation } from './media-locator.js'

describe('media locators', () => {
  it('round-trips tar members and Parquet cells, names with # & = and spaces included', () => {
    const locations: MediaLocation[] = [
      { kind: 'tar-member', path: '/data/my #1/00000.tar', member: 'a b#c&d=e.jpg', offset: 1536, size: 40213 },
      { kind: 'parquet-cell', path: '/data/train-00000.parquet', column: 'image.bytes', rowGroup: 3, row: 17 },
      { kind: 'file', path: '/data/images/cat.jpg' },
    ]
    for (const location of locations) expect(toMediaLocation(toMediaLocator(location))).toEqual(location)
  })

  it("writes readable strings ending with the member name, so the extension is the member's", () => {
    const locator = toMediaLocator({
      kind: 'tar-member',
      path: '/s/00000.tar',
      member: '000001.jpg',
      offset: 512,
      size: 10,
    })
    expect(locator).toBe('tar:/s/00000.tar#offset=512&size=10&member=000001.jpg')
    expect(isContainerLocator(locator)).toBe(true)
    expect(isContainerLocator('/s/00000.tar')).toBe(false)
  })

  it('takes malformed locators and plain paths as file paths', () => {
    for (const text of [
      'tar:/s/00000.tar',
      'tar:/s/0.tar#offset=x&size=1&member=a',
      'parquet:/p#column=&rowGroup=0&row=0',
      'relative/cat.jpg',
    ])
      expect(toMediaLocation(text)).toEqual({ kind: 'file', path: text })
  })
})
