import type { ItemContext, NodeDefinition, NodeInput, NodeInstance, NodeResult } from '@dataflow/sdk'
import { pino } from 'pino'
import type { CompiledExpression } from '../src/expression/compiled-expression.js'
import type { LoadedNode } from '../src/pipeline/loaded-pipeline.js'
import { createExecutionPlan, type ExecutionPlan } from '../src/runtime/execution-plan.js'
import { abortTogether, type ItemRunEnvironment, type NodeEvent } from '../src/runtime/item-run.js'
import { createNodeRunner } from '../src/runtime/node-runner.js'

export type Handler = (input: NodeInput, context: ItemContext) => Promise<NodeResult> | NodeResult

export interface TestNode {
  id: string
  needs?: string[]
  when?: (scope: Readonly<Record<string, unknown>>) => unknown
  onError?: 'fail' | 'continue'
  attempts?: number
  handler?: Handler
  instance?: NodeInstance
}

/** A LoadedNode without the loader: for scheduler tests. */
export function toLoadedNode(test: TestNode, depth = 0): LoadedNode {
  const when: CompiledExpression | undefined = test.when
    ? { source: 'test', paths: [], references: [], evaluate: test.when, test: (scope) => Boolean(test.when!(scope)) }
    : undefined
  return {
    id: test.id,
    uses: 'test',
    modulePath: 'test',
    version: undefined,
    definition: {} as NodeDefinition,
    config: {},
    position: { file: 'test.yaml', line: 1, column: 1 },
    needs: test.needs ?? [],
    when,
    onError: test.onError ?? 'fail',
    retry: { attempts: test.attempts ?? 1, backoffMs: 10 },
    writes: {},
    depth,
  }
}

export function createPlan(nodes: TestNode[]): ExecutionPlan {
  const runners = nodes.map((node) =>
    createNodeRunner(node.id, node.instance ?? { process: node.handler ?? (() => ({})) }),
  )
  return createExecutionPlan(
    nodes.map((node) => toLoadedNode(node)),
    runners,
  )
}

export function createEnvironment(plan: ExecutionPlan, runSignal = new AbortController().signal) {
  const events: Array<{ node: string; event: NodeEvent }> = []
  const sleeps: number[] = []
  const logger = pino({ level: 'silent' })
  const environment: ItemRunEnvironment = {
    plan,
    runSignal,
    itemControllers: abortTogether(runSignal),
    now: () => 0,
    sleep: async (ms) => {
      sleeps.push(ms)
    },
    recordNode: (index, event) => events.push({ node: plan.ids[index]!, event }),
    contextFor: (_index, _sequence, signal, attempt) => ({
      signal,
      attempt,
      logger,
      inference: undefined as never,
      media: undefined as never,
    }),
  }
  return { environment, events, sleeps }
}

/** A promise with its resolve function, to control when a fake node finishes. */
export function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}
