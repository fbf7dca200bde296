import { describe, expect, it } from 'vitest'
import { DataflowError, ERROR_CODES, isDataflowError, toDataflowError } from './errors.js'

describe('DataflowError', () => {
  it('takes category and retryable from its code, and serialises without a stack', () => {
    const error = new DataflowError('DATAFLOW_INFERENCE_RATE_LIMITED', 'slow down', {
      hint: 'wait',
      details: { status: 429 },
    })
    expect(error.category).toBe('inference')
    expect(error.retryable).toBe(true)
    expect(error.toJSON()).toEqual({
      code: 'DATAFLOW_INFERENCE_RATE_LIMITED',
      category: 'inference',
      message: 'slow down',
      retryable: true,
      hint: 'wait',
      details: { status: 429 },
    })
    expect(new DataflowError('DATAFLOW_INFERENCE_FAILED', 'x', { retryable: false }).retryable).toBe(false)
  })

  it('is recognised across package copies by its marker, not by instanceof', () => {
    const foreign = { [Symbol.for('dataflow.error')]: true, code: 'DATAFLOW_INTERNAL' }
    expect(isDataflowError(foreign)).toBe(true)
    expect(isDataflowError(new Error('plain'))).toBe(false)
    expect(isDataflowError(null)).toBe(false)
  })

  it('turns anything thrown into a DataflowError, keeping the cause', () => {
    const cause = new TypeError('boom')
    const wrapped = toDataflowError(cause)
    expect(wrapped.code).toBe('DATAFLOW_NODE_FAILED')
    expect(wrapped.cause).toBe(cause)
    expect(toDataflowError('text', 'DATAFLOW_INTERNAL').message).toBe('text')
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' })
    expect(toDataflowError(abort).code).toBe('DATAFLOW_INTERRUPTED')
    const existing = new DataflowError('DATAFLOW_MEDIA_INVALID', 'bad')
    expect(toDataflowError(existing)).toBe(existing)
  })

  it('documents every code with a summary', () => {
    for (const [code, entry] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^DATAFLOW_[A-Z_]+$/)
      expect(entry.summary.length).toBeGreaterThan(10)
    }
  })
})
