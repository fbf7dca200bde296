import { toDataflowError, type SinkInstance, type SinkRecord } from '@dataflow/sdk'
import type { LoadedSink } from '../pipeline/loaded-pipeline.js'
import type { ItemFailure, ItemOutcome } from './item-outcome.js'

interface OpenSink {
  loaded: LoadedSink
  instance: SinkInstance
  written: number
  /** Writes to one sink are serialised in completion order. */
  tail: Promise<void>
}

/** The scope a sink's `when` and `select` see. */
export function toSinkScope(outcome: ItemOutcome): Record<string, unknown> {
  return {
    ...outcome.outputs,
    item: outcome.item,
    id: outcome.id,
    outcome: outcome.outcome,
    reason: outcome.rejection?.reason,
    error: outcome.error,
    metrics: outcome.metrics,
  }
}

/** The record written when a sink has no `select:`. */
export function toDefaultRecord(outcome: ItemOutcome): SinkRecord {
  return {
    id: outcome.id,
    outcome: outcome.outcome,
    item: outcome.item,
    outputs: outcome.outputs,
    ...(outcome.rejection ? { rejection: outcome.rejection } : {}),
    ...(outcome.error ? { error: outcome.error } : {}),
    ...(outcome.failures.length > 0 ? { failures: outcome.failures } : {}),
  }
}

/** Routes each finished item to the sinks whose `when` holds. */
export class SinkDispatcher {
  private readonly sinks: OpenSink[]

  constructor(sinks: ReadonlyArray<{ loaded: LoadedSink; instance: SinkInstance }>) {
    this.sinks = sinks.map(({ loaded, instance }) => ({ loaded, instance, written: 0, tail: Promise.resolve() }))
  }

  /** Writes the outcome to every matching sink; returns the first failure, if a sink refused it. */
  async dispatch(outcome: ItemOutcome): Promise<ItemFailure | undefined> {
    const scope = toSinkScope(outcome)
    let failure: ItemFailure | undefined
    const writes: Promise<void>[] = []
    for (const sink of this.sinks) {
      let record: SinkRecord
      try {
        if (!sink.loaded.when.test(scope)) continue
        record = sink.loaded.select ? project(sink.loaded.select, scope) : toDefaultRecord(outcome)
      } catch (error) {
        failure ??= { node: `sink:${sink.loaded.id}`, error: toDataflowError(error, 'DATAFLOW_INTERNAL').toJSON(), attempts: 1 }
        continue
      }
      const write = sink.tail.then(async () => {
        await sink.instance.write(record)
        sink.written++
      })
      sink.tail = write.catch(() => undefined)
      writes.push(
        write.catch((error: unknown) => {
          failure ??= { node: `sink:${sink.loaded.id}`, error: toDataflowError(error, 'DATAFLOW_INTERNAL').toJSON(), attempts: 1 }
        }),
      )
    }
    await Promise.all(writes)
    return failure
  }

  counts(): Record<string, number> {
    return Object.fromEntries(this.sinks.map((sink) => [sink.loaded.id, sink.written]))
  }

  async close(): Promise<void> {
    for (const sink of this.sinks) {
      await sink.tail
      await sink.instance.flush?.()
      await sink.instance.close()
    }
  }
}

function project(select: NonNullable<LoadedSink['select']>, scope: Record<string, unknown>): SinkRecord {
  const record: SinkRecord = {}
  for (const [field, expression] of Object.entries(select)) {
    const value = expression.evaluate(scope)
    if (value !== undefined) record[field] = value
  }
  return record
}
