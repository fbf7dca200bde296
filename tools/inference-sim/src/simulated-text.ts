import type { Random } from './random.js'

/** Every plain-text answer starts with this, so nobody mistakes it for a model's caption. */
export const SIMULATED_MARKER = '[simulated]'

/** Placeholder Latin: obviously not a description of anything. */
const WORDS = [
  'lorem',
  'ipsum',
  'dolor',
  'sit',
  'amet',
  'consectetur',
  'adipiscing',
  'elit',
  'sed',
  'do',
  'eiusmod',
  'tempor',
  'incididunt',
  'ut',
  'labore',
  'et',
  'dolore',
  'magna',
  'aliqua',
  'enim',
  'ad',
  'minim',
  'veniam',
  'quis',
  'nostrud',
  'exercitation',
  'ullamco',
  'laboris',
  'nisi',
  'aliquip',
  'ex',
  'ea',
  'commodo',
  'consequat',
  'duis',
  'aute',
  'irure',
  'in',
  'reprehenderit',
  'voluptate',
  'velit',
  'esse',
  'cillum',
  'fugiat',
  'nulla',
  'pariatur',
  'excepteur',
  'sint',
  'occaecat',
  'cupidatat',
  'non',
  'proident',
] as const

/**
 * The pieces (one simulated token each) of a plain-text answer: the marker, then `count - 1`
 * words with a sentence break every few words.
 */
export function simulatedTokens(random: Random, count: number): string[] {
  const pieces = [SIMULATED_MARKER]
  let sentence = 0
  for (let i = 1; i < count; i++) {
    const word = random.pick(WORDS)
    sentence++
    const end = i === count - 1 || (sentence >= 6 && random.next() < 0.2)
    pieces.push(` ${word}${end ? '.' : ''}`)
    if (end) sentence = 0
  }
  return pieces
}

/** A short simulated string ("[simulated] lorem ipsum"), for JSON string fields. */
export function simulatedPhrase(random: Random, words: number): string {
  return simulatedTokens(random, words + 1).join('')
}
