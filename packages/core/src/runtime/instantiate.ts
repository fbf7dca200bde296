import { resolve } from 'node:path'
import { DataflowError } from '@dataflow/sdk'
import type {
  IoContext,
  Logger,
  NodeInstance,
  Shard,
  SinkCheckpoint,
  SinkInstance,
  SourceInstance,
} from '@dataflow/sdk'
import { compileNodeExpression } from '../expression/index.js'
import { climbsOutOfRunDir, OUTPUT_PATH_HINT } from '../pipeline/check-output-paths.js'
import type { LoadedPipeline } from '../pipeline/loaded-pipeline.js'
import type { RunServices } from './run-services.js'

export interface Instances {
  source: SourceInstance
  nodes: NodeInstance[]
}

export interface InstantiateOptions {
  runDir: string
  logger: Logger
  signal: AbortSignal
  services: RunServices
  shard: Shard | undefined
}

function ioContext(pipeline: LoadedPipeline, options: InstantiateOptions, kind: string, id: string): IoContext {
  return {
    logger: options.logger.child({ [kind]: id }),
    signal: options.signal,
    resolvePath: (path: string) => resolve(pipeline.dir, path),
    resolveOutput: (path: string) => {
      if (climbsOutOfRunDir(path)) {
        throw new DataflowError(
          'DATAFLOW_CONFIG_INVALID',
          `${kind} "${id}": output path "${path}" climbs out of the run directory ${options.runDir}`,
          { hint: OUTPUT_PATH_HINT, details: { path, runDir: options.runDir } },
        )
      }
      return resolve(options.runDir, path)
    },
    runDir: options.runDir,
  }
}

/** Calls the source's and every node's `create` with its validated config and injected context. */
export async function instantiate(pipeline: LoadedPipeline, options: InstantiateOptions): Promise<Instances> {
  const source = await pipeline.source.definition.create(pipeline.source.config, {
    ...ioContext(pipeline, options, 'source', pipeline.source.uses),
    shard: options.shard,
  })
  const nodes: NodeInstance[] = []
  try {
    for (const node of pipeline.nodes) {
      nodes.push(
        await node.definition.create(node.config, {
          nodeId: node.id,
          logger: options.logger.child({ node: node.id }),
          signal: options.signal,
          inference: options.services.inference.clientFor({
            node: node.id,
            priority: node.depth,
            sequence: 0,
            signal: options.signal,
          }),
          media: options.services.media,
          resolvePath: (path: string) => resolve(pipeline.dir, path),
          compileExpression: compileNodeExpression,
          stateDir: resolve(options.runDir, 'state', node.id),
        }),
      )
    }
  } catch (error) {
    await closeInstances({ source, nodes })
    throw error
  }
  return { source, nodes }
}

/** Calls every sink's `create`; `resumeFrom` gives a resumed sink its last committed checkpoint. */
export async function createSinks(
  pipeline: LoadedPipeline,
  options: InstantiateOptions,
  resumeFrom: (sinkId: string) => SinkCheckpoint | undefined,
): Promise<SinkInstance[]> {
  const sinks: SinkInstance[] = []
  try {
    for (const sink of pipeline.sinks) {
      const checkpoint = resumeFrom(sink.id)
      sinks.push(
        await sink.definition.create(sink.config, {
          ...ioContext(pipeline, options, 'sink', sink.id),
          media: options.services.media,
          ...(checkpoint ? { resumeFrom: checkpoint } : {}),
        }),
      )
    }
  } catch (error) {
    for (const sink of sinks) await Promise.resolve(sink.close()).catch(() => undefined)
    throw error
  }
  return sinks
}

/** Closes what `instantiate` created, ignoring close failures (used on the error path). */
export async function closeInstances(instances: Instances): Promise<void> {
  for (const node of instances.nodes) await Promise.resolve(node.close?.()).catch(() => undefined)
  await Promise.resolve(instances.source.close?.()).catch(() => undefined)
}
