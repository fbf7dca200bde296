import { stripThinking } from './strip-thinking.js'

/** How the choice was found. */
export type ExtractedBy = 'explicit' | 'last-letter' | 'option-text' | 'none'

export interface ExtractedChoice {
  /** The chosen option letter, or null when the answer names none. */
  choice: string | null
  extractedBy: ExtractedBy
}

/** `\boxed{B}`, `\boxed{\text{B}}`, `\boxed{(b)}`, `\boxed{B. 15 cm}`. */
const BOXED_LETTER = /\\boxed\s*\{\s*(?:\\text(?:bf|rm)?\s*\{\s*)?[([]?\s*([A-Za-z])\s*[)\]]?(?![A-Za-z0-9])/g
/** `Answer: B`, `the answer is (B)`, `Final answer: **C**`, `the correct option is D`, `answer: c`. */
const PHRASE_LETTER =
  /\b(?:final\s+answer|correct\s+(?:answer|option|choice)|best\s+(?:answer|option|choice)|answer)\b\s*(?:is|would\s+be|should\s+be|will\s+be)?\s*[:：]?\s*(?:\*\*|__)?\s*(?:(?:option|choice)\s*)?[([]?\s*(?:\*\*)?([A-Za-z])(?:\*\*)?\s*[)\]]?(?![A-Za-z0-9'’])/gi
/** `**B**`, `**(B)**`, `**B. Apples**`, `**Option B**`. */
const BOLD_LETTER = /\*\*\s*(?:[Oo]ption\s+|[Cc]hoice\s+)?[([]?([A-Z])[)\]]?(?:[.:)]\s*[^*\n]{0,120})?\s*\*\*/g
/** An answer that starts with the letter: `B`, `B. Apples`, `(B) because ...`. */
const LEADING_LETTER = /^(?:\*\*)?\s*[([]?([A-Z])(?:[)\].:]|\*\*|\s*$)/
/** An answer that is only a letter, any case: `b`, `(c).`. */
const ONLY_LETTER = /^[([*\s]*([A-Za-z])[)\].:*\s]*$/
/** Text that follows an answer phrase, matched against the option texts: `The answer is 42.` */
const PHRASE_TEXT =
  /\b(?:final\s+answer|correct\s+(?:answer|option|choice)|answer)\b\s*(?:is|would\s+be|should\s+be|:|：)\s*[:：]?\s*([^\n]+)/gi
const BOXED_TEXT = /\\boxed\s*\{((?:[^{}]|\{[^{}]*\})*)\}/g
/** A letter standing alone: `B`, `(B)`, `[B]`, not inside a word. */
const STANDALONE_LETTER = /(?<![A-Za-z0-9])[([]?([A-Z])[)\]]?(?![A-Za-z0-9'’])/g

/**
 * Finds the option a reasoning model chose. The think block is dropped first. Then, in order:
 * an explicit answer (`\boxed{B}`, then "Answer: B" / "the answer is (B)" phrases, then `**B**`,
 * then an answer that starts with or is the letter, then an answer phrase followed by an
 * option's text), the last standalone option letter, and finally the option whose text appears
 * last in the answer. Only letters of `options` count.
 */
export function extractChoice(answer: string, options: Readonly<Record<string, string>>): ExtractedChoice {
  const text = stripThinking(answer)
  const isOption = (letter: string) => Object.hasOwn(options, letter)
  const explicit = findExplicitLetter(text, isOption) ?? findExplicitText(text, options)
  if (explicit !== undefined) return { choice: explicit, extractedBy: 'explicit' }
  const last = findLastLetter(text, isOption)
  if (last !== undefined) return { choice: last, extractedBy: 'last-letter' }
  const byText = findOptionText(text, options)
  if (byText !== undefined) return { choice: byText, extractedBy: 'option-text' }
  return { choice: null, extractedBy: 'none' }
}

function findExplicitLetter(text: string, isOption: (letter: string) => boolean): string | undefined {
  for (const pattern of [BOXED_LETTER, PHRASE_LETTER, BOLD_LETTER]) {
    let found: string | undefined
    for (const match of text.matchAll(pattern)) {
      const raw = match[1]!
      // "the answer is a red circle": a lower-case letter followed by a word is an article.
      if (raw !== raw.toUpperCase() && /^\s+[a-z]/.test(text.slice(match.index + match[0].length))) continue
      if (isOption(raw.toUpperCase())) found = raw.toUpperCase()
    }
    if (found !== undefined) return found
  }
  const leading = LEADING_LETTER.exec(text)?.[1] ?? ONLY_LETTER.exec(text)?.[1]?.toUpperCase()
  return leading !== undefined && isOption(leading) ? leading : undefined
}

function findExplicitText(text: string, options: Readonly<Record<string, string>>): string | undefined {
  let found: string | undefined
  for (const pattern of [PHRASE_TEXT, BOXED_TEXT]) {
    for (const match of text.matchAll(pattern)) {
      const letter = optionStartingText(match[1]!, options)
      if (letter !== undefined) found = letter
    }
    if (found !== undefined) return found
  }
  return undefined
}

function findLastLetter(text: string, isOption: (letter: string) => boolean): string | undefined {
  let found: string | undefined
  for (const match of text.matchAll(STANDALONE_LETTER)) {
    const letter = match[1]!
    if (!isOption(letter)) continue
    const bare = match[0].length === 1
    // "A cat", "I think": the article and the pronoun, unless named as an option.
    if (
      bare &&
      (letter === 'A' || letter === 'I') &&
      /^\s+[a-z]/.test(text.slice(match.index + 1)) &&
      !/(?:option|choice)\s*$/i.test(text.slice(0, match.index))
    )
      continue
    found = letter
  }
  return found
}

/** The option whose text the candidate starts with (the longest such), compared loosely. */
function optionStartingText(candidate: string, options: Readonly<Record<string, string>>): string | undefined {
  const wanted = normalise(candidate).replace(/^(?:option|choice)\s+/, '')
  let best: { letter: string; length: number } | undefined
  for (const [letter, option] of Object.entries(options)) {
    const text = normalise(option)
    if (text === '' || !wanted.startsWith(text) || isWordCharacter(wanted[text.length])) continue
    if (best === undefined || text.length > best.length) best = { letter, length: text.length }
  }
  return best?.letter
}

/** The option whose text occurs last in the answer (the longer one when two end together). */
function findOptionText(answer: string, options: Readonly<Record<string, string>>): string | undefined {
  const text = normalise(answer)
  let best: { letter: string; end: number; length: number } | undefined
  for (const [letter, option] of Object.entries(options)) {
    const wanted = normalise(option)
    if (wanted === '') continue
    for (let at = text.lastIndexOf(wanted); at !== -1; at = at === 0 ? -1 : text.lastIndexOf(wanted, at - 1)) {
      if (isWordCharacter(text[at - 1]) || isWordCharacter(text[at + wanted.length])) continue
      const end = at + wanted.length
      if (best === undefined || end > best.end || (end === best.end && wanted.length > best.length))
        best = { letter, end, length: wanted.length }
      break
    }
  }
  return best?.letter
}

/** Lower case, markdown and LaTeX wrappers removed, blanks collapsed. */
function normalise(text: string): string {
  return text
    .replace(/\\text(?:bf|rm)?\s*\{([^{}]*)\}/g, '$1')
    .replace(/[*_$`]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()
}

function isWordCharacter(character: string | undefined): boolean {
  return character !== undefined && /[\p{L}\p{N}]/u.test(character)
}
