import { describe, expect, it } from 'vitest'
import { toAnswerUsage } from './answer-usage.js'

const result = (finishReason: string) => ({
  text: 'x',
  finishReason,
  usage: { promptTokens: 12, completionTokens: 3 },
  servedModel: 'm',
  latencyMs: 1,
  attempts: 1,
  cached: false,
})

describe('toAnswerUsage', () => {
  it('records tokens, and truncated only when the answer hit maxTokens', () => {
    expect(toAnswerUsage(result('stop'))).toEqual({ tokens: { prompt: 12, completion: 3 } })
    expect(toAnswerUsage(result('length'))).toEqual({ tokens: { prompt: 12, completion: 3 }, truncated: true })
  })
})
