import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pino } from 'pino'
import { toDataflowError, type SerializedError } from '../errors.js'
import type { ItemContext } from '../context.js'
import type { ExpressionCompiler } from '../expression.js'
import type { InferenceClient } from '../inference.js'
import type { ItemData, NodeInput, NodeStatus, UpstreamResult } from '../item.js'
import type { MediaTools } from '../media.js'
import type { NodeDefinition } from '../node-definition.js'
import type { NodeOutput } from '../result.js'
import { parsePath, readPath } from '../path.js'
import { isRejection } from '../result.js'
import { createFakeInference } from './fake-inference.js'
import { configFor } from './config-for.js'
import { createFakeMedia } from './fake-media.js'
import { createOperatorInvoker } from './operator-invoker.js'

/** One item for {@link runNode}: its source fields and the outputs of nodes that ran before. */
export interface TestItem {
  id?: string
  item?: ItemData
  /** Upstream outputs by node id; all are `done`. */
  outputs?: Record<string, unknown>
  /** Statuses of upstream nodes that are not `done` (e.g. `{ ocr: 'failed' }`). */
  statuses?: Record<string, NodeStatus>
  /** The node's `needs`, in order; defaults to the keys of outputs and statuses. */
  needs?: string[]
}

export type TestOutcome =
  | { id: string; status: 'done'; output: Record<string, unknown> }
  | {
      id: string
      status: 'rejected'
      reason: string
      details?: Record<string, unknown>
      output?: Record<string, unknown>
    }
  | { id: string; status: 'error'; error: SerializedError }

export interface RunNodeOptions {
  /** The node's `with:`; schema defaults are applied and it is validated, as the engine does. */
  config?: Record<string, unknown>
  items: TestItem[]
  inference?: InferenceClient
  media?: MediaTools
  /** Folder that relative paths in the config resolve against. Default: process.cwd(). */
  baseDir?: string
  /**
   * The engine's expression compiler, for nodes that call `context.compileExpression` (the engine
   * owns the language: pass `compileNodeExpression` from `@dataflow/core`). Without it such a node
   * fails at create with an error that says so.
   */
  compileExpression?: ExpressionCompiler
  /** The node's state folder. Default: a fresh temporary folder per call. */
  stateDir?: string
}

/**
 * Runs a node on fixture items, one by one, the way the engine calls it: item handlers, and
 * cross-item operators (each item pushed into the operator, its outcome awaited).
 */
export async function runNode<TConfig, TOutput extends NodeOutput>(
  definition: NodeDefinition<TConfig, TOutput>,
  options: RunNodeOptions,
): Promise<TestOutcome[]> {
  const config = configFor(definition, options.config)
  const logger = pino({ level: 'silent' })
  const inference = options.inference ?? createFakeInference(() => 'ok')
  const media = options.media ?? createFakeMedia()
  const baseDir = options.baseDir ?? process.cwd()
  const controller = new AbortController()
  const instance = await definition.create(config, {
    nodeId: 'node-under-test',
    logger,
    signal: controller.signal,
    inference,
    media,
    resolvePath: (p: string) => resolve(baseDir, p),
    compileExpression: options.compileExpression ?? missingCompiler,
    stateDir: options.stateDir ?? (await mkdtemp(join(tmpdir(), 'dataflow-node-state-'))),
  })
  const operator = instance.operator ? createOperatorInvoker(instance.operator) : undefined
  const invoke = operator
    ? operator.invoke
    : (input: NodeInput, context: ItemContext) => instance.process!(input, context)
  const outcomes: TestOutcome[] = []
  for (const [index, test] of options.items.entries()) {
    const id = test.id ?? String(index)
    const input = toNodeInput(id, test)
    try {
      const result = await invoke(input, { signal: controller.signal, logger, inference, media, attempt: 1 })
      if (isRejection(result)) {
        outcomes.push({
          id,
          status: 'rejected',
          reason: result.reason,
          ...(result.details ? { details: result.details } : {}),
          ...(result.output ? { output: result.output } : {}),
        })
      } else {
        outcomes.push({ id, status: 'done', output: result })
      }
    } catch (error) {
      outcomes.push({ id, status: 'error', error: toDataflowError(error).toJSON() })
    }
  }
  operator?.complete()
  await instance.close?.()
  return outcomes
}

const missingCompiler: ExpressionCompiler = () => {
  throw new Error(
    'this node compiles expressions: pass `compileNodeExpression` from @dataflow/core to runNode (the engine owns the `when` language)',
  )
}

function toNodeInput(id: string, test: TestItem): NodeInput {
  const item = test.item ?? {}
  const outputs = test.outputs ?? {}
  const statuses = test.statuses ?? {}
  const status = (node: string): NodeStatus => statuses[node] ?? (Object.hasOwn(outputs, node) ? 'done' : 'pending')
  const needs: UpstreamResult[] = (test.needs ?? [...new Set([...Object.keys(outputs), ...Object.keys(statuses)])]).map(
    (node) => ({
      node,
      status: status(node),
      ...(status(node) === 'done' ? { output: outputs[node] } : {}),
    }),
  )
  const scope: Record<string, unknown> = { ...outputs, item }
  return {
    id,
    item,
    needs,
    get: (path) => readPath(scope, parsePath(path)),
    output: <T>(node: string) => (status(node) === 'done' ? (outputs[node] as T) : undefined),
    status,
  }
}
