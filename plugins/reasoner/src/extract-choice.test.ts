import { describe, expect, it } from 'vitest'
import { extractChoice } from './extract-choice.js'
import { stripThinking } from './strip-thinking.js'

const ABCD = { A: 'Pears', B: 'Apples', C: 'Plums', D: 'Grapes' }
const NUMBERS = { A: '24', B: '12', C: '44', D: '42' }
const TRENDS = {
  A: 'It decreased every year',
  B: 'It increased every year',
  C: 'It stayed the same',
  D: 'It first rose, then fell',
}

describe('extractChoice', () => {
  it.each([
    [
      'R1 style: thinking, closing tag only, bold answer line',
      "Okay, so the caption says apples 12, pears 7. Option A is Pears, that can't be it. Maybe C?\n</think>\n\nThe chart shows Apples with 12 boxes, the most.\n\n**Answer:** B",
      ABCD,
      'B',
    ],
    [
      'a full think block that mentions other letters',
      '<think>\nA is wrong. D? No. C looks plausible...\n</think>\nThe answer is (C).',
      ABCD,
      'C',
    ],
    ['\\boxed{D}', 'Reading the sign, the number is 42.\n\n\\boxed{D}', NUMBERS, 'D'],
    ['\\boxed{\\text{B}}', 'Final Answer: \\boxed{\\text{B}}', ABCD, 'B'],
    ['boxed wins over an earlier phrase', 'At first the answer is A, but on reflection:\n\\boxed{C}', ABCD, 'C'],
    ['"Answer: (C)"', 'Answer: (C)', ABCD, 'C'],
    ['lower case', 'answer: c', ABCD, 'C'],
    ['"the correct option is B."', 'After analysis, the correct option is B.', ABCD, 'B'],
    ['"**C. Plums**"', 'So I would pick **C. Plums**', ABCD, 'C'],
    ['bold answer with the phrase inside', '**Answer: D**', ABCD, 'D'],
    ['the last explicit answer counts', 'The answer is not A. Checking again... Final answer: D', ABCD, 'D'],
    [
      'an answer that starts with the letter',
      'B. Apples\n\nApples sold 12 boxes, more than Pears (7) and Plums (9).',
      ABCD,
      'B',
    ],
    ['a lone letter in parentheses', '(B)', ABCD, 'B'],
    ['a lone lower-case letter', ' d. ', ABCD, 'D'],
    [
      'the answer phrase followed by option text',
      'The number on the sign reads forty-two, so the answer is 42.',
      NUMBERS,
      'D',
    ],
    ['"Answer:" followed by option text', 'Answer: It increased every year, from 20 to 60 thousand.', TRENDS, 'B'],
  ])('explicit: %s', (_name, answer, options, choice) => {
    expect(extractChoice(answer, options)).toEqual({ choice, extractedBy: 'explicit' })
  })

  it.each([
    [
      '"I think it\'s B" (the pronoun I is not option I)',
      "I think it's B.",
      { ...ABCD, E: 'e', F: 'f', G: 'g', H: 'h', I: 'i' },
      'B',
    ],
    ['the last of several letters', 'Between A and C, C fits the caption better.', ABCD, 'C'],
    ['a letter after "option"', 'Looking at the caption I choose option A as the best fit here.', ABCD, 'A'],
  ])('last letter: %s', (_name, answer, options, choice) => {
    expect(extractChoice(answer, options)).toEqual({ choice, extractedBy: 'last-letter' })
  })

  it.each([
    [
      'a number of stars',
      'The caption lists five yellow stars, so there are 5 stars in total.',
      { A: '4', B: '6', C: '5', D: '7' },
      'C',
    ],
    ['the option named last wins', 'It is not Pears, which sold 7 boxes; it is Apples.', ABCD, 'B'],
    [
      'option text with punctuation and case',
      "The clock face shows 3 O'Clock.",
      { A: "12 o'clock", B: "3 o'clock", C: "6 o'clock", D: "9 o'clock" },
      'B',
    ],
  ])('option text: %s', (_name, answer, options, choice) => {
    expect(extractChoice(answer, options)).toEqual({ choice, extractedBy: 'option-text' })
  })

  it.each([
    ['no answer at all', 'I cannot determine this from the caption alone.'],
    ['an article, not a letter', 'A caption alone is not enough here.'],
    ['a letter that is not an option', 'The answer is E.'],
    ['"the answer is a ..." (article)', 'Honestly the answer is a mystery to me.'],
    ['cut off inside the think block', '<think>\nLet me compare A and B. The caption says Apples 12, so B is'],
    ['an empty answer after the think block', 'Thinking about B...</think>\n\n'],
  ])('none: %s', (_name, answer) => {
    expect(extractChoice(answer, ABCD)).toEqual({ choice: null, extractedBy: 'none' })
  })

  it('does not take a letter inside a word or a contraction', () => {
    expect(extractChoice("DNA and A's neighbours: nothing here", { A: 'x', D: 'y' })).toEqual({
      choice: null,
      extractedBy: 'none',
    })
  })
})

describe('stripThinking', () => {
  it('keeps what follows the last </think>, drops an unclosed block, keeps plain answers', () => {
    expect(stripThinking('<think>a</think> mid <think>b</think>\nfinal')).toBe('final')
    expect(stripThinking('reasoning without opening tag</think>Answer: B')).toBe('Answer: B')
    expect(stripThinking('Prefix <think>never closed')).toBe('Prefix')
    expect(stripThinking('  Answer: B  ')).toBe('Answer: B')
  })
})
