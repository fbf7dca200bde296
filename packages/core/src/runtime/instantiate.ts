import { resolve } from 'node:path'
import type { IoContext, Logger, NodeInstance, Shard, SinkInstance, SourceInstance } from '@dataflow/sdk'
import type { LoadedPipeline } from '../pipeline/loaded-pipeline.js'
import type { RunServices } from './run-services.js'

export interface Instances {
  source: SourceInstance
  nodes: NodeInstance[]
  sinks: SinkInstance[]
}

/** Calls every plugin's `create` with its validated config and injected context. */
export async function instantiate(
  pipeline: LoadedPipeline,
  options: { runDir: string; logger: Logger; signal: AbortSignal; services: RunServices; shard: Shard | undefined },
): Promise<Instances> {
  const resolvePath = (path: string) => resolve(pipeline.dir, path)
  const io = (kind: string, id: string): IoContext => ({
    logger: options.logger.child({ [kind]: id }),
    signal: options.signal,
    resolvePath,
    resolveOutput: (path: string) => resolve(options.runDir, path),
    runDir: options.runDir,
  })
  const source = await pipeline.source.definition.create(pipeline.source.config, { ...io('source', pipeline.source.uses), shard: options.shard })
  const nodes: NodeInstance[] = []
  for (const node of pipeline.nodes) {
    nodes.push(
      await node.definition.create(node.config, {
        nodeId: node.id,
        logger: options.logger.child({ node: node.id }),
        signal: options.signal,
        inference: options.services.inference.clientFor({ node: node.id, priority: node.depth, sequence: 0, signal: options.signal }),
        media: options.services.media,
        resolvePath,
      }),
    )
  }
  const sinks: SinkInstance[] = []
  for (const sink of pipeline.sinks) sinks.push(await sink.definition.create(sink.config, io('sink', sink.id)))
  return { source, nodes, sinks }
}
