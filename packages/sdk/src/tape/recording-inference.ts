import type { CallOptions, ChatRequest, InferenceClient, JsonChatRequest, JsonChatResult } from '../inference.js'
import type { RecordingWriter } from './recording.js'
import { requestKey, toRecordedRequest } from './request-key.js'

/** Wraps a client so that every answer it gets is appended to a recording (`dataflow run --record`). */
export function createRecordingInference(inner: InferenceClient, writer: RecordingWriter): InferenceClient {
  return {
    hasModel: (name) => inner.hasModel(name),
    async chat(request: ChatRequest, options?: CallOptions) {
      const result = await inner.chat(request, options)
      const recorded = toRecordedRequest('chat', request)
      writer.write({ key: requestKey(recorded), request: recorded, answer: answerOf(result) })
      return result
    },
    async chatJson<T>(request: JsonChatRequest, options?: CallOptions): Promise<JsonChatResult<T>> {
      const result = await inner.chatJson<T>(request, options)
      const recorded = toRecordedRequest('chatJson', request)
      writer.write({ key: requestKey(recorded), request: recorded, answer: answerOf(result), value: result.value })
      return result
    },
  }
}

function answerOf(result: {
  text: string
  finishReason: string
  usage: { promptTokens: number; completionTokens: number }
  servedModel: string
}) {
  return { text: result.text, finishReason: result.finishReason, usage: result.usage, servedModel: result.servedModel }
}
