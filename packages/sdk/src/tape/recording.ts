import { appendFileSync, readFileSync } from 'node:fs'
import { DataflowError } from '../errors.js'
import type { TokenUsage } from '../inference.js'
import { requestKey, type RecordedRequest } from './request-key.js'

/** A model answer as a recording stores it. */
export interface RecordedAnswer {
  text: string
  finishReason: string
  usage: TokenUsage
  servedModel: string
}

/** One line of a recording file (JSON Lines): a request and the answer it got. */
export interface RecordedExchange {
  key: string
  request: RecordedRequest
  answer: RecordedAnswer
  /** For chatJson: the validated value the node received. */
  value?: unknown
}

/** Appends exchanges to a recording file, one JSON line each, as they happen. */
export interface RecordingWriter {
  readonly path: string
  write(exchange: RecordedExchange): void
  /** Exchanges written so far. */
  readonly count: number
}

/** Starts a recording file (replacing one that exists). */
export function createRecordingWriter(path: string): RecordingWriter {
  appendFileSync(path, '', { flag: 'w' })
  let count = 0
  return {
    path,
    write(exchange) {
      appendFileSync(path, `${JSON.stringify(exchange)}\n`)
      count++
    },
    get count() {
      return count
    },
  }
}

/**
 * The answers of a recording by request key. A request recorded several times (sampling with a
 * temperature) gives its answers in recorded order, then the last one again.
 */
export interface Recording {
  readonly path: string
  readonly size: number
  take(request: RecordedRequest): RecordedExchange | undefined
}

/** Reads a recording file made by `dataflow run --record`; a broken line is an error naming it. */
export function readRecording(path: string): Recording {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new DataflowError(
      'DATAFLOW_INPUT_NOT_FOUND',
      `cannot read the recording ${path}: ${(error as Error).message}`,
      {
        hint: 'make one with `dataflow run <pipeline.yaml> --record <file>` against a server',
      },
    )
  }
  const byKey = new Map<string, RecordedExchange[]>()
  let size = 0
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return
    let exchange: RecordedExchange
    try {
      exchange = JSON.parse(line) as RecordedExchange
    } catch (error) {
      throw new DataflowError(
        'DATAFLOW_INPUT_INVALID',
        `${path}:${index + 1}: not a JSON line: ${(error as Error).message}`,
        {
          hint: 'a recording is written by `dataflow run --record`: record it again',
        },
      )
    }
    const key = requestKey(exchange.request)
    byKey.set(key, [...(byKey.get(key) ?? []), exchange])
    size++
  })
  const taken = new Map<string, number>()
  return {
    path,
    size,
    take(request) {
      const key = requestKey(request)
      const answers = byKey.get(key)
      if (answers === undefined) return undefined
      const index = taken.get(key) ?? 0
      taken.set(key, index + 1)
      return answers[Math.min(index, answers.length - 1)]
    },
  }
}
