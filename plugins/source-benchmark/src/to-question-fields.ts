import { toPresentText } from './benchmark-item.js'

/** The question part of a benchmark item, checked. */
export interface QuestionFields {
  question: string
  options: Record<string, string>
  answer: string
}

export type QuestionResult = { fields: QuestionFields; problem?: never } | { problem: string; fields?: never }

const LETTER = /^[A-Z]$/

/**
 * Checks a question, its options and its answer. Options come as `{ A: text }` or as a list
 * (lettered A, B, ... in order); missing ones are dropped. The answer is a letter (`b`, `(B)`,
 * `B.` are accepted) or exactly the text of one option.
 */
export function toQuestionFields(question: unknown, rawOptions: unknown, rawAnswer: unknown): QuestionResult {
  const text = toPresentText(question)
  if (text === undefined) return { problem: 'the question is missing' }
  const options = toOptions(rawOptions)
  if (typeof options === 'string') return { problem: options }
  const letters = Object.keys(options)
  if (letters.length === 0)
    return { problem: 'the question has no options; only multiple-choice questions are supported' }
  const answerText = toPresentText(rawAnswer)
  if (answerText === undefined) return { problem: 'the answer is missing' }
  const answer = toAnswerLetter(answerText, options)
  if (answer === undefined) {
    return { problem: `the answer ${JSON.stringify(answerText)} is not one of the options (${letters.join(', ')})` }
  }
  return { fields: { question: text, options, answer } }
}

function toOptions(raw: unknown): Record<string, string> | string {
  const options: Record<string, string> = {}
  if (Array.isArray(raw)) {
    if (raw.length > 26) return `the question has ${raw.length} options; at most 26 (A to Z) are supported`
    raw.forEach((value, position) => {
      const text = toPresentText(value)
      if (text !== undefined) options[String.fromCharCode(65 + position)] = text
    })
    return options
  }
  if (typeof raw !== 'object' || raw === null) return 'the options are missing (expected { "A": "..." } or a list)'
  const entries = Object.entries(raw).map(([key, value]) => [key.trim().toUpperCase(), value] as const)
  const badKey = entries.find(([key]) => !LETTER.test(key))
  if (badKey) return `the option key ${JSON.stringify(badKey[0])} is not a letter A to Z`
  for (const [key, value] of entries.sort(([a], [b]) => a.localeCompare(b))) {
    const text = toPresentText(value)
    if (text !== undefined) options[key] = text
  }
  return options
}

function toAnswerLetter(answer: string, options: Record<string, string>): string | undefined {
  const letter = /^\(?\s*([A-Za-z])\s*\)?[.:]?$/.exec(answer)?.[1]?.toUpperCase()
  if (letter !== undefined) return Object.hasOwn(options, letter) ? letter : undefined
  const wanted = answer.toLowerCase()
  const matches = Object.entries(options).filter(([, text]) => text.toLowerCase() === wanted)
  return matches.length === 1 ? matches[0]![0] : undefined
}
