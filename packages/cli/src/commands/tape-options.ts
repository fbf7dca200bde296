import { resolve } from 'node:path'
import {
  createRecordingInference,
  createRecordingWriter,
  createReplayInference,
  DataflowError,
  readRecording,
  type InferenceClient,
} from '@dataflow/sdk'

/** How a run's model calls are taped: recorded to a file, or answered from one without a server. */
export type ClientWrapper = (client: InferenceClient) => InferenceClient

/** The client wrapper for `--record <file>` / `--replay <file>`; undefined when neither is given. */
export function toTapeWrapper(record: string | undefined, replay: string | undefined): ClientWrapper | undefined {
  if (record !== undefined && replay !== undefined) {
    throw new DataflowError('DATAFLOW_USAGE', '--record and --replay cannot be used together', {
      hint: 'record once against a server, then replay that file',
    })
  }
  if (record !== undefined) {
    const writer = createRecordingWriter(resolve(record))
    return (client) => createRecordingInference(client, writer)
  }
  if (replay !== undefined) {
    const recording = readRecording(resolve(replay))
    return () => createReplayInference(recording)
  }
  return undefined
}
