import {
  isRejection,
  toDataflowError,
  type DataflowError,
  type ItemContext,
  type ItemData,
  type NodeOutput,
  type NodeStatus,
  type SerializedError,
} from '@dataflow/sdk'
import type { ExecutionPlan } from './execution-plan.js'
import type { RequestUsage } from './run-services.js'
import type { ItemFailure, ItemOutcome, ItemRejection, NodeMetrics } from './item-outcome.js'
import { ItemView } from './node-input.js'
import type { CommitListener, NodeResultSink } from './run-store.js'

/** What a node did for one item, for statistics. `reused`: its journaled result was taken instead of calling it. */
export type NodeEvent = 'done' | 'skipped' | 'failed' | 'rejected' | 'error' | 'cancelled' | 'reused'

/** A node result of an earlier attempt at this item (from the run journal), reused instead of calling the node. */
export type PriorResult =
  | { status: 'done'; output: NodeOutput; attempts: number; metrics: NodeMetrics }
  | {
      status: 'rejected'
      output: NodeOutput | undefined
      rejection: Omit<ItemRejection, 'node'>
      attempts: number
      metrics: NodeMetrics
    }
  | { status: 'failed'; error: SerializedError; attempts: number; metrics: NodeMetrics }

export interface ItemRunEnvironment {
  plan: ExecutionPlan
  /** Builds the per-call context (inference client bound to node and item, logger, media); `meter` sees every model request as it ends. */
  contextFor(
    nodeIndex: number,
    sequence: number,
    signal: AbortSignal,
    attempt: number,
    meter: (request: RequestUsage) => void,
  ): ItemContext
  /** Called once per node per item, when the node ends (or is skipped, reused, cancelled). */
  recordNode(nodeIndex: number, event: NodeEvent, elapsedMs: number, sequence: number): void
  /** Aborting it interrupts every item in flight. */
  runSignal: AbortSignal
  /** Controllers of the items in flight, aborted together with the run (see {@link abortTogether}). */
  itemControllers: Set<AbortController>
  sleep(ms: number, signal: AbortSignal): Promise<void>
  now(): number
  /** The run's store, when it has one: node results are durable before dependents start. */
  results?: NodeResultSink
}

/**
 * One listener on the run's signal aborts every item in flight: cheaper than a listener per item,
 * which EventTarget adds and removes in time linear in the listeners it holds.
 */
export function abortTogether(signal: AbortSignal): Set<AbortController> {
  const controllers = new Set<AbortController>()
  signal.addEventListener(
    'abort',
    () => {
      for (const controller of controllers) controller.abort(signal.reason)
    },
    { once: true },
  )
  return controllers
}

/**
 * Runs one item through the DAG: a node starts as soon as all its needs are settled (done,
 * skipped or failed with `onError: continue`), so independent nodes run concurrently. With a
 * journal, a node's result is durable before its dependents start, and results of an earlier
 * attempt (`prior`, by node index) are reused instead of calling the node again.
 * Resolves with exactly one outcome; never rejects.
 */
export class ItemRun implements CommitListener {
  private readonly statuses: NodeStatus[]
  private readonly remainingNeeds: number[]
  private readonly scope: Record<string, unknown>
  private readonly errors = new Map<number, SerializedError>()
  private readonly failures: ItemFailure[] = []
  private readonly metrics: Array<NodeMetrics | undefined>
  private readonly controller = new AbortController()
  private settled = 0
  private finished = false
  private resolveOutcome!: (outcome: ItemOutcome) => void

  constructor(
    private readonly env: ItemRunEnvironment,
    private readonly id: string,
    private readonly sequence: number,
    private readonly item: ItemData,
    private readonly prior?: ReadonlyArray<PriorResult | undefined>,
  ) {
    const count = env.plan.nodes.length
    this.statuses = new Array<NodeStatus>(count).fill('pending')
    this.remainingNeeds = env.plan.nodes.map((node) => node.needs.length)
    this.metrics = new Array<NodeMetrics | undefined>(count)
    this.scope = { item }
  }

  run(): Promise<ItemOutcome> {
    const outcome = new Promise<ItemOutcome>((resolve) => (this.resolveOutcome = resolve))
    if (this.env.plan.nodes.length === 0) {
      this.finish('ok')
      return outcome
    }
    if (this.env.runSignal.aborted) {
      this.finishInterrupted(
        toDataflowError(this.env.runSignal.reason ?? new Error('run stopped'), 'DATAFLOW_INTERRUPTED'),
        undefined,
        0,
      )
      return outcome
    }
    this.env.itemControllers.add(this.controller)
    for (const root of this.env.plan.roots) this.start(root)
    return outcome
  }

  /** The store calls this once the result of node `index` is durable: its dependents may start. */
  committed(index: number): void {
    if (this.finished) return
    if (this.env.runSignal.aborted) {
      this.finishInterrupted(
        toDataflowError(this.env.runSignal.reason ?? new Error('run stopped'), 'DATAFLOW_INTERRUPTED'),
        undefined,
        0,
      )
      return
    }
    this.propagate(index)
  }

  private start(index: number): void {
    if (this.finished) return
    const { node } = this.env.plan.nodes[index]!
    if (node.when) {
      let pass: boolean
      try {
        pass = node.when.test(this.scope)
      } catch (error) {
        this.fail(index, toDataflowError(error, 'DATAFLOW_EXPRESSION_INVALID'), 1, 0, false)
        return
      }
      if (!pass) {
        this.env.recordNode(index, 'skipped', 0, this.sequence)
        this.settle(index, 'skipped')
        return
      }
    }
    const prior = this.prior?.[index]
    if (prior !== undefined) {
      this.reuse(index, prior)
      return
    }
    this.statuses[index] = 'running'
    void this.invoke(index)
  }

  private reuse(index: number, prior: PriorResult): void {
    const id = this.env.plan.ids[index]!
    this.metrics[index] = prior.metrics
    this.env.recordNode(index, 'reused', 0, this.sequence)
    if (prior.status === 'done') {
      this.scope[id] = prior.output
      this.settle(index, 'done')
    } else if (prior.status === 'rejected') {
      if (prior.output) this.scope[id] = prior.output
      this.finishRejected(index, { node: id, ...prior.rejection })
    } else {
      this.fail(index, toDataflowError(prior.error), prior.attempts, 0, true)
    }
  }

  private async invoke(index: number): Promise<void> {
    const planned = this.env.plan.nodes[index]!
    const { attempts, backoffMs } = planned.node.retry
    const startedAt = this.env.now()
    const metrics: NodeMetrics = { ms: 0 }
    // Every request as report.json counts it: failed ones and structured-output re-asks included.
    const meter = (request: RequestUsage) => {
      metrics.requests = (metrics.requests ?? 0) + 1
      metrics.promptTokens = (metrics.promptTokens ?? 0) + request.promptTokens
      metrics.completionTokens = (metrics.completionTokens ?? 0) + request.completionTokens
      if (request.cached) metrics.cached = (metrics.cached ?? 0) + 1
      const model = request.responseModel
      if (model !== undefined && !metrics.models?.includes(model)) (metrics.models ??= []).push(model)
    }
    for (let attempt = 1; ; attempt++) {
      const input = new ItemView(this.id, this.item, this.scope, this.statuses, this.env.plan, index, this.errors)
      try {
        const context = this.env.contextFor(index, this.sequence, this.controller.signal, attempt, meter)
        const result = await planned.runner.invoke(input, context)
        if (this.finished) return
        const elapsed = this.env.now() - startedAt
        metrics.ms = Math.round(elapsed * 10) / 10
        this.metrics[index] = metrics
        if (isRejection(result)) {
          if (result.output) this.scope[planned.node.id] = result.output
          this.env.recordNode(index, 'rejected', elapsed, this.sequence)
          const rejection = { reason: result.reason, ...(result.details ? { details: result.details } : {}) }
          this.env.results?.recordResult(
            this.sequence,
            index,
            { status: 'rejected', output: result.output, rejection, attempts: attempt, metrics },
            elapsed,
            undefined,
          )
          this.finishRejected(index, { node: planned.node.id, ...rejection })
          return
        }
        this.scope[planned.node.id] = result
        this.env.recordNode(index, 'done', elapsed, this.sequence)
        if (this.env.results) {
          this.statuses[index] = 'done'
          this.env.results.recordResult(
            this.sequence,
            index,
            { status: 'done', output: result, attempts: attempt, metrics },
            elapsed,
            this,
          )
        } else {
          this.settle(index, 'done')
        }
        return
      } catch (thrown) {
        if (this.finished) return
        const error = toDataflowError(thrown)
        const interrupted = this.controller.signal.aborted || error.code === 'DATAFLOW_INTERRUPTED'
        if (!interrupted && error.retryable && attempt < attempts) {
          try {
            await this.env.sleep(backoffMs * 2 ** (attempt - 1), this.controller.signal)
            continue
          } catch {
            // aborted while waiting: fall through and record the failure
          }
        }
        const elapsed = this.env.now() - startedAt
        metrics.ms = Math.round(elapsed * 10) / 10
        this.metrics[index] = metrics
        this.fail(index, error, attempt, elapsed, false)
        return
      }
    }
  }

  /** A node failed for good (or its journaled failure is reused): the item goes on (`onError: continue`) or fails. */
  private fail(index: number, error: DataflowError, attempts: number, elapsed: number, reused: boolean): void {
    const planned = this.env.plan.nodes[index]!
    const failure: ItemFailure = { node: planned.node.id, error: error.toJSON(), attempts }
    if (!reused && this.controller.signal.aborted && this.env.runSignal.aborted) {
      this.metrics[index] = undefined
      this.env.recordNode(index, 'cancelled', elapsed, this.sequence)
      this.finishInterrupted(error, planned.node.id, attempts)
      return
    }
    const journal = reused ? undefined : this.env.results
    const result: PriorResult | undefined = journal
      ? { status: 'failed', error: failure.error, attempts, metrics: this.metrics[index] ?? { ms: 0 } }
      : undefined
    if (planned.node.onError === 'continue') {
      if (!reused) this.env.recordNode(index, 'failed', elapsed, this.sequence)
      this.errors.set(index, failure.error)
      this.failures.push(failure)
      if (journal) {
        this.statuses[index] = 'failed'
        journal.recordResult(this.sequence, index, result!, elapsed, this)
      } else {
        this.settle(index, 'failed')
      }
      return
    }
    if (!reused) this.env.recordNode(index, 'error', elapsed, this.sequence)
    journal?.recordResult(this.sequence, index, result!, elapsed, undefined)
    this.statuses[index] = 'failed'
    this.finish('error', { error: failure })
  }

  private settle(index: number, status: NodeStatus): void {
    this.statuses[index] = status
    this.propagate(index)
  }

  /** Counts node `index` as settled and starts the dependents whose needs are now all settled. */
  private propagate(index: number): void {
    this.settled++
    if (this.settled === this.statuses.length) {
      this.finish('ok')
      return
    }
    for (const dependent of this.env.plan.nodes[index]!.dependents) {
      if (--this.remainingNeeds[dependent]! === 0) this.start(dependent)
    }
  }

  private finishRejected(index: number, rejection: ItemRejection): void {
    this.statuses[index] = 'done'
    this.finish('rejected', { rejection })
  }

  private finishInterrupted(error: DataflowError, node: string | undefined, attempts: number): void {
    const interrupted =
      error.code === 'DATAFLOW_INTERRUPTED'
        ? error
        : toDataflowError(new Error(`run stopped: ${error.message}`), 'DATAFLOW_INTERRUPTED')
    this.finish('interrupted', { error: { node: node ?? 'run', error: interrupted.toJSON(), attempts } })
  }

  private finish(kind: ItemOutcome['outcome'], extra: { rejection?: ItemRejection; error?: ItemFailure } = {}): void {
    if (this.finished) return
    this.finished = true
    this.env.itemControllers.delete(this.controller)
    const statuses: Record<string, NodeStatus> = {}
    const outputs: Record<string, unknown> = {}
    const metrics: Record<string, NodeMetrics> = {}
    for (const [index, id] of this.env.plan.ids.entries()) {
      let status = this.statuses[index]!
      if (status === 'pending' || status === 'running') {
        status = 'cancelled'
        this.env.recordNode(index, 'cancelled', 0, this.sequence)
      }
      statuses[id] = status
      if (Object.hasOwn(this.scope, id)) outputs[id] = this.scope[id]
      const nodeMetrics = this.metrics[index]
      if (nodeMetrics !== undefined) metrics[id] = nodeMetrics
    }
    if (kind !== 'ok') this.controller.abort(new Error(`item ${kind}`))
    this.resolveOutcome({
      id: this.id,
      sequence: this.sequence,
      outcome: kind,
      item: this.item,
      outputs,
      statuses,
      failures: this.failures,
      metrics,
      ...extra,
    })
  }
}
