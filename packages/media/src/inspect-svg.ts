/** What makes an SVG unsafe to rasterise. */
export interface SvgFindings {
  /** The document declares entities or loads an external DTD (`<!ENTITY`, `<!DOCTYPE svg SYSTEM ...>`). */
  declaresEntities: boolean
  /** Targets of `href`, `xlink:href`, `url(...)` and `@import` outside the document (not `#...` or `data:`). */
  externalReferences: string[]
}

const SVG_ROOT = /^<(?:[\w.-]+:)?svg[\s>/]/i
const ENTITY = /<!ENTITY|<!DOCTYPE\s[^[>]*\b(?:SYSTEM|PUBLIC)\b/i
const REFERENCES = [
  /\bhref\s*=\s*"([^"]*)"/gi,
  /\bhref\s*=\s*'([^']*)'/gi,
  /\burl\(\s*["']?([^"')]*)/gi,
  /@import\s+(?:url\()?\s*["']?([^"');\s]*)/gi,
]

/** True when the bytes are an SVG document in plain text (not gzip-compressed SVGZ). */
export function isSvgDocument(bytes: Uint8Array): boolean {
  const text = toText(bytes.subarray(0, 64 * 1024))
  // Declarations, processing instructions, comments and a DOCTYPE (with its internal subset) may precede the root.
  let at = 0
  for (;;) {
    while (at < text.length && /\s/.test(text[at]!)) at++
    let end: number
    if (text.startsWith('<?', at)) end = after(text, /\?>/g, at)
    else if (text.startsWith('<!--', at)) end = after(text, /-->/g, at)
    else if (/^<!DOCTYPE\s/i.test(text.slice(at, at + 10))) {
      const subset = text.indexOf('[', at)
      const close = text.indexOf('>', at)
      end = subset >= 0 && (close < 0 || subset < close) ? after(text, /\]\s*>/g, subset) : after(text, />/g, at)
    } else return SVG_ROOT.test(text.slice(at, at + 64))
    if (end < 0) return false
    at = end
  }
}

/** The index just past the first match of `pattern` (global) from `from`, or -1. */
function after(text: string, pattern: RegExp, from: number): number {
  pattern.lastIndex = from
  const match = pattern.exec(text)
  return match ? match.index + match[0].length : -1
}

/**
 * Scans an SVG document for entity declarations and references to outside content; undefined
 * when the bytes are not plain text (SVGZ), which cannot be checked without inflating it.
 */
export function inspectSvg(bytes: Uint8Array): SvgFindings | undefined {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return undefined
  const text = toText(bytes)
  const externalReferences = new Set<string>()
  for (const pattern of REFERENCES) {
    for (const match of text.matchAll(pattern)) {
      const target = match[1]!.trim()
      if (target !== '' && !target.startsWith('#') && !/^data:/i.test(target)) externalReferences.add(target)
    }
  }
  return { declaresEntities: ENTITY.test(text), externalReferences: [...externalReferences] }
}

function toText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '')
}
