export type JsonExtraction = { ok: true; value: unknown } | { ok: false; error: string }

const tryParse = (text: string): { ok: true; value: unknown } | undefined => {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return undefined
  }
}

/** The end (exclusive) of the JSON object or array opening at `start`, respecting strings; -1 if unbalanced. */
function balancedEnd(text: string, start: number): number {
  let depth = 0
  let inString = false
  for (let index = start; index < text.length; index++) {
    const char = text[index]
    if (inString) {
      if (char === '\\') index++
      else if (char === '"') inString = false
    } else if (char === '"') inString = true
    else if (char === '{' || char === '[') depth++
    else if (char === '}' || char === ']') {
      depth--
      if (depth === 0) return index + 1
    }
  }
  return -1
}

/**
 * Finds the JSON value in a model answer, tolerating what models wrap around it: reasoning in
 * `<think>` tags, markdown code fences, prose before or after. The first candidate that parses wins.
 */
export function extractJson(answer: string): JsonExtraction {
  const closeThink = answer.lastIndexOf('</think>')
  const text = (closeThink >= 0 ? answer.slice(closeThink + '</think>'.length) : answer).trim()
  const whole = tryParse(text)
  if (whole) return whole
  for (const match of text.matchAll(/```[A-Za-z]*[ \t]*\r?\n?([\s\S]*?)```/g)) {
    const fenced = tryParse(match[1]!.trim())
    if (fenced) return fenced
  }
  let starts = 0
  for (let index = 0; index < text.length && starts < 32; index++) {
    if (text[index] !== '{' && text[index] !== '[') continue
    starts++
    const end = balancedEnd(text, index)
    if (end < 0) continue
    const candidate = tryParse(text.slice(index, end))
    if (candidate) return candidate
  }
  if (text.length === 0) return { ok: false, error: 'the answer is empty' }
  return {
    ok: false,
    error:
      starts === 0
        ? 'the answer holds no JSON object or array'
        : 'the answer holds no complete, parseable JSON value (is it cut off? raise maxTokens)',
  }
}
