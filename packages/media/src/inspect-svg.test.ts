import { describe, expect, it } from 'vitest'
import { inspectSvg, isSvgDocument } from './inspect-svg.js'

const bytes = (text: string) => new TextEncoder().encode(text)
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'

describe('isSvgDocument', () => {
  it.each([
    ['a bare root', SVG],
    ['a BOM, a declaration and a comment first', `\uFEFF<?xml version="1.0"?>\n<!-- drawn by hand -->\n${SVG}`],
    ['a DOCTYPE with an internal subset holding ">"', `<!DOCTYPE svg [<!ENTITY a "x > y">]>\n${SVG}`],
    ['a prefixed root', '<svg:svg xmlns:svg="http://www.w3.org/2000/svg"/>'],
  ])('recognises %s', (_, text) => {
    expect(isSvgDocument(bytes(text))).toBe(true)
  })

  it.each([
    ['another XML document', '<?xml version="1.0"?><html/>'],
    ['plain text mentioning svg', 'this file talks about <svg> elements'],
    ['an unclosed comment', '<!-- <svg>'],
    ['binary data', '\x89PNG\r\n\x1a\n'],
  ])('does not take %s for one', (_, text) => {
    expect(isSvgDocument(bytes(text))).toBe(false)
  })
})

describe('inspectSvg', () => {
  it('finds entity declarations and external DTDs', () => {
    expect(inspectSvg(bytes(`<!DOCTYPE svg [<!ENTITY a "b">]>${SVG}`))?.declaresEntities).toBe(true)
    expect(
      inspectSvg(
        bytes(
          `<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">${SVG}`,
        ),
      )?.declaresEntities,
    ).toBe(true)
    expect(inspectSvg(bytes(SVG))?.declaresEntities).toBe(false)
  })

  it('lists references to outside content and lets fragments and data: URLs through', () => {
    const text =
      '<svg><style>@import url("https://fonts.example/a.css");</style>' +
      `<use href="#shape"/><image xlink:href='data:image/png;base64,AAAA'/><rect fill="url(#g)"/>` +
      '<image href="../secret.png"/><rect style="fill: url(http://example.com/p.svg#x)"/></svg>'
    expect(inspectSvg(bytes(text))?.externalReferences.sort()).toEqual([
      '../secret.png',
      'http://example.com/p.svg#x',
      'https://fonts.example/a.css',
    ])
  })

  it('cannot check a gzip-compressed SVGZ', () => {
    expect(inspectSvg(new Uint8Array([0x1f, 0x8b, 8, 0]))).toBeUndefined()
  })
})
