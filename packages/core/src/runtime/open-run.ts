import type { Logger, Shard } from '@dataflow/sdk'
import type { LoadedPipeline } from '../pipeline/loaded-pipeline.js'
import { openErrorsSink, ERRORS_SINK } from './errors-sink.js'
import { createSinks, instantiate, type Instances, type InstantiateOptions } from './instantiate.js'
import { createNodeRunner, type NodeRunner } from './node-runner.js'
import type { ResourceStack } from './resource-stack.js'
import type { RunControl } from './run-control.js'
import type { RunServices } from './run-services.js'
import type { OpenRunStore, ResumePlan, RunStore } from './run-store.js'
import { SinkDispatcher, toSinkTarget } from './sink-dispatcher.js'

export interface OpenRunOptions {
  runDir: string
  logger: Logger
  services: RunServices
  shard?: Shard | undefined
  stop?: AbortSignal | undefined
  abort?: AbortSignal | undefined
  store?: OpenRunStore | undefined
  onPlan?: ((plan: ResumePlan) => void) | undefined
}

/** Everything a run holds open while items stream. */
export interface OpenedRun {
  instances: Instances
  /** One per pipeline node, in pipeline order. */
  runners: NodeRunner[]
  store: RunStore | undefined
  sinks: SinkDispatcher
}

/**
 * Opens a run's resources in order (signal forwarding, the fatal-error guard, source and node
 * instances, the store, sinks, errors.jsonl) and brings resumed sinks up to date. Each one's
 * cleanup goes on `stack` as soon as it is open, so that one `stack.close()` releases exactly what
 * was opened, whether opening failed halfway or the run ended.
 */
export async function openRun(
  pipeline: LoadedPipeline,
  options: OpenRunOptions,
  control: RunControl,
  stack: ResourceStack,
): Promise<OpenedRun> {
  stack.defer(control.follow(options.stop, options.abort))
  stack.defer(options.services.inference.onFatal(control.abortRun))

  const instantiateOptions: InstantiateOptions = {
    runDir: options.runDir,
    logger: options.logger,
    signal: control.abort.signal,
    services: options.services,
    shard: options.shard,
  }
  const instances = await instantiate(pipeline, instantiateOptions)
  stack.defer(() => instances.source.close?.())
  const runners = instances.nodes.map((instance, index) => createNodeRunner(pipeline.nodes[index]!.id, instance))
  stack.defer(async () => {
    for (const runner of runners)
      await runner.close().catch((error: unknown) => options.logger.warn({ err: error }, 'node close failed'))
  })

  const store = await options.store?.(pipeline, instances)
  if (store) {
    store.onFailure(control.abortRun)
    options.onPlan?.(store.plan)
  }

  const sinks = new SinkDispatcher()
  stack.defer(() => sinks.close())
  const sinkInstances = await createSinks(pipeline, instantiateOptions, (id) => store?.resumeFrom(id))
  pipeline.sinks.forEach((loaded, index) =>
    sinks.add(toSinkTarget(loaded, sinkInstances[index]!, store?.startOrd(loaded.id))),
  )
  sinks.add(await openErrorsSink(options.runDir, store?.resumeFrom(ERRORS_SINK), store?.startOrd(ERRORS_SINK) ?? 0))

  if (store) {
    const replayed = await store.replay((outcome, ord) => sinks.dispatch(outcome, ord))
    sinks.delivered(store.lastOrd)
    if (replayed > 0)
      options.logger.info(
        { replayed },
        `wrote ${replayed} finished item${replayed === 1 ? '' : 's'} again to sinks past their last checkpoint`,
      )
  }
  return { instances, runners, store, sinks }
}
