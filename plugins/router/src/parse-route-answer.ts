import type { DomainResolver } from './domain-aliases.js'

/** What could be read from a router answer that did not pass structured-output validation. */
export interface ParsedRouteAnswer {
  domain?: string
  confidence?: number
  reason?: string
}

const LABELLED_DOMAIN = /\b(?:domain|category|class|answer)\b["'*_\s]*[:=]/i
const LABELLED_CONFIDENCE = /\bconfidence\b["'*_\s]*[:=]?["'*_\s]*([1-3])(?![\d.])/i
const LONE_DIGIT = /(?<![\w.])([1-3])(?![\w.])/

/**
 * Reads a domain and a 1-3 confidence out of a free-form answer: JSON (possibly in a markdown
 * fence or with extra fields and alias spellings), `Domain: ... Confidence: ...` lines, or prose.
 * A labelled domain wins over the first mention; a labelled confidence over a lone digit.
 */
export function parseRouteAnswer(raw: string, resolver: DomainResolver): ParsedRouteAnswer {
  const fromJson = parseJsonAnswer(raw, resolver)
  if (fromJson?.domain !== undefined) return fromJson
  const domain = findDomain(raw, resolver)
  const confidence = toConfidence(LABELLED_CONFIDENCE.exec(raw)?.[1] ?? LONE_DIGIT.exec(withoutDomainDigits(raw))?.[1])
  return {
    ...(domain === undefined ? {} : { domain }),
    ...(confidence === undefined
      ? fromJson?.confidence === undefined
        ? {}
        : { confidence: fromJson.confidence }
      : { confidence }),
  }
}

function parseJsonAnswer(raw: string, resolver: DomainResolver): ParsedRouteAnswer | undefined {
  const start = raw.indexOf('{')
  const end = raw.lastIndexOf('}')
  if (start < 0 || end <= start) return undefined
  let value: unknown
  try {
    value = JSON.parse(raw.slice(start, end + 1))
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const record = value as Record<string, unknown>
  const label = typeof record['domain'] === 'string' ? record['domain'] : undefined
  const domain = label === undefined ? undefined : (resolver.toDomainKey(label) ?? resolver.findMentions(label)[0]?.key)
  const confidence = toConfidence(record['confidence'])
  const reason = typeof record['reason'] === 'string' ? record['reason'] : undefined
  return {
    ...(domain === undefined ? {} : { domain }),
    ...(confidence === undefined ? {} : { confidence }),
    ...(reason === undefined ? {} : { reason }),
  }
}

function findDomain(raw: string, resolver: DomainResolver): string | undefined {
  const label = LABELLED_DOMAIN.exec(raw)
  if (label) {
    const rest = raw.slice(label.index + label[0].length).split('\n')[0] ?? ''
    const labelled = resolver.findMentions(rest)[0]
    if (labelled) return labelled.key
  }
  return resolver.findMentions(raw)[0]?.key
}

/** Digits that are part of a label such as "Category 1:" are not confidences. */
function withoutDomainDigits(raw: string): string {
  return raw.replace(/\b(?:domain|category|class|option)\s*\d+/gi, '')
}

/** An integer 1..3 from a number or a numeric string, else undefined. */
export function toConfidence(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\s*[1-3]\s*$/.test(value) ? Number(value) : value
  return typeof number === 'number' && Number.isInteger(number) && number >= 1 && number <= 3 ? number : undefined
}
