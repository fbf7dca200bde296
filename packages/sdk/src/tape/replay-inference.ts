import { DataflowError } from '../errors.js'
import type {
  CallOptions,
  ChatRequest,
  ChatResult,
  InferenceClient,
  JsonChatRequest,
  JsonChatResult,
} from '../inference.js'
import { readRecording, type RecordedExchange, type Recording } from './recording.js'
import { describeRequest, toRecordedRequest, type RecordedRequest } from './request-key.js'

/**
 * An InferenceClient that answers from a recording made by `dataflow run --record`, with no
 * server. A request the recording does not hold fails with DATAFLOW_REPLAY_MISS naming it.
 * Used by `dataflow run --replay` and by plugin tests (answers that came from a real server).
 */
export function createReplayInference(recording: string | Recording, models?: readonly string[]): InferenceClient {
  const tape = typeof recording === 'string' ? readRecording(recording) : recording
  const find = (request: RecordedRequest): RecordedExchange => {
    const exchange = tape.take(request)
    if (exchange === undefined) {
      throw new DataflowError('DATAFLOW_REPLAY_MISS', `${tape.path} holds no answer for ${describeRequest(request)}`, {
        hint: 'the request differs from every recorded one (prompt, settings, media or model changed): record again with --record',
        details: { request },
      })
    }
    return exchange
  }
  const toResult = (exchange: RecordedExchange): ChatResult => ({
    ...exchange.answer,
    latencyMs: 0,
    attempts: 0,
    cached: true,
  })
  return {
    hasModel: (name) => models === undefined || models.includes(name),
    async chat(request: ChatRequest, _options?: CallOptions) {
      return toResult(find(toRecordedRequest('chat', request)))
    },
    async chatJson<T>(request: JsonChatRequest, _options?: CallOptions): Promise<JsonChatResult<T>> {
      const exchange = find(toRecordedRequest('chatJson', request))
      return { ...toResult(exchange), value: exchange.value as T, reasked: false }
    },
  }
}
