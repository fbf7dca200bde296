import {
  isRejection, toDataflowError, type ChatResult, type DataflowError, type ItemContext, type ItemData, type NodeStatus, type SerializedError,
} from '@dataflow/sdk'
import type { ExecutionPlan } from './execution-plan.js'
import type { ItemFailure, ItemOutcome, ItemRejection, NodeMetrics } from './item-outcome.js'
import { ItemView } from './node-input.js'

/** What a node did for one item, for statistics. */
export type NodeEvent = 'done' | 'skipped' | 'failed' | 'rejected' | 'error' | 'cancelled'

export interface ItemRunEnvironment {
  plan: ExecutionPlan
  /** Builds the per-call context (inference client bound to node and item, logger, media); `meter` sees every model answer. */
  contextFor(nodeIndex: number, sequence: number, signal: AbortSignal, attempt: number, meter: (result: ChatResult) => void): ItemContext
  /** Called once per node per item. */
  recordNode(nodeIndex: number, event: NodeEvent, elapsedMs: number): void
  /** Aborting it interrupts every item in flight. */
  runSignal: AbortSignal
  sleep(ms: number, signal: AbortSignal): Promise<void>
  now(): number
}

/**
 * Runs one item through the DAG: a node starts as soon as all its needs are settled (done,
 * skipped or failed with `onError: continue`), so independent nodes run concurrently.
 * Resolves with exactly one outcome; never rejects.
 */
export class ItemRun {
  private readonly statuses: NodeStatus[]
  private readonly remainingNeeds: number[]
  private readonly scope: Record<string, unknown>
  private readonly errors = new Map<number, SerializedError>()
  private readonly failures: ItemFailure[] = []
  private readonly metrics: Record<string, NodeMetrics> = {}
  private readonly controller = new AbortController()
  private settled = 0
  private finished = false
  private resolveOutcome!: (outcome: ItemOutcome) => void
  private readonly onRunAbort = () => this.controller.abort(this.env.runSignal.reason)

  constructor(
    private readonly env: ItemRunEnvironment,
    private readonly id: string,
    private readonly sequence: number,
    private readonly item: ItemData,
  ) {
    const count = env.plan.nodes.length
    this.statuses = new Array<NodeStatus>(count).fill('pending')
    this.remainingNeeds = env.plan.nodes.map((node) => node.needs.length)
    this.scope = { item }
  }

  run(): Promise<ItemOutcome> {
    const outcome = new Promise<ItemOutcome>((resolve) => (this.resolveOutcome = resolve))
    if (this.env.plan.nodes.length === 0) {
      this.finish('ok')
      return outcome
    }
    if (this.env.runSignal.aborted) {
      this.finishInterrupted(toDataflowError(this.env.runSignal.reason ?? new Error('run stopped'), 'DATAFLOW_INTERRUPTED'), undefined, 0)
      return outcome
    }
    this.env.runSignal.addEventListener('abort', this.onRunAbort, { once: true })
    for (const root of this.env.plan.roots) this.start(root)
    return outcome
  }

  private start(index: number): void {
    if (this.finished) return
    const { node } = this.env.plan.nodes[index]!
    if (node.when) {
      let pass: boolean
      try {
        pass = node.when.test(this.scope)
      } catch (error) {
        this.fail(index, toDataflowError(error, 'DATAFLOW_EXPRESSION_INVALID'), 1, 0)
        return
      }
      if (!pass) {
        this.env.recordNode(index, 'skipped', 0)
        this.settle(index, 'skipped')
        return
      }
    }
    this.statuses[index] = 'running'
    void this.invoke(index)
  }

  private async invoke(index: number): Promise<void> {
    const planned = this.env.plan.nodes[index]!
    const { attempts, backoffMs } = planned.node.retry
    const startedAt = this.env.now()
    const metrics: NodeMetrics = { ms: 0 }
    this.metrics[planned.node.id] = metrics
    const meter = (result: ChatResult) => {
      metrics.requests = (metrics.requests ?? 0) + 1
      metrics.promptTokens = (metrics.promptTokens ?? 0) + result.usage.promptTokens
      metrics.completionTokens = (metrics.completionTokens ?? 0) + result.usage.completionTokens
      if (result.cached) metrics.cached = (metrics.cached ?? 0) + 1
      if (!metrics.models?.includes(result.servedModel)) (metrics.models ??= []).push(result.servedModel)
    }
    for (let attempt = 1; ; attempt++) {
      const input = new ItemView(this.id, this.item, this.scope, this.statuses, this.env.plan, index, this.errors)
      try {
        const context = this.env.contextFor(index, this.sequence, this.controller.signal, attempt, meter)
        const result = await planned.runner.invoke(input, context)
        if (this.finished) return
        const elapsed = this.env.now() - startedAt
        metrics.ms = Math.round(elapsed * 10) / 10
        if (isRejection(result)) {
          if (result.output) this.scope[planned.node.id] = result.output
          this.env.recordNode(index, 'rejected', elapsed)
          this.finishRejected(index, { node: planned.node.id, reason: result.reason, ...(result.details ? { details: result.details } : {}) })
          return
        }
        this.scope[planned.node.id] = result
        this.env.recordNode(index, 'done', elapsed)
        this.settle(index, 'done')
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
        this.fail(index, error, attempt, this.env.now() - startedAt)
        return
      }
    }
  }

  private fail(index: number, error: DataflowError, attempts: number, elapsed: number): void {
    const planned = this.env.plan.nodes[index]!
    const failure: ItemFailure = { node: planned.node.id, error: error.toJSON(), attempts }
    if (this.controller.signal.aborted && this.env.runSignal.aborted) {
      this.env.recordNode(index, 'cancelled', elapsed)
      this.finishInterrupted(error, planned.node.id, attempts)
      return
    }
    if (planned.node.onError === 'continue') {
      this.env.recordNode(index, 'failed', elapsed)
      this.errors.set(index, failure.error)
      this.failures.push(failure)
      this.settle(index, 'failed')
      return
    }
    this.env.recordNode(index, 'error', elapsed)
    this.statuses[index] = 'failed'
    this.finish('error', { error: failure })
  }

  private settle(index: number, status: NodeStatus): void {
    this.statuses[index] = status
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
    const interrupted = error.code === 'DATAFLOW_INTERRUPTED' ? error : toDataflowError(new Error(`run stopped: ${error.message}`), 'DATAFLOW_INTERRUPTED')
    this.finish('interrupted', { error: { node: node ?? 'run', error: interrupted.toJSON(), attempts } })
  }

  private finish(kind: ItemOutcome['outcome'], extra: { rejection?: ItemRejection; error?: ItemFailure } = {}): void {
    if (this.finished) return
    this.finished = true
    this.env.runSignal.removeEventListener('abort', this.onRunAbort)
    const statuses: Record<string, NodeStatus> = {}
    const outputs: Record<string, unknown> = {}
    for (const [index, id] of this.env.plan.ids.entries()) {
      let status = this.statuses[index]!
      if (status === 'pending' || status === 'running') {
        status = 'cancelled'
        this.env.recordNode(index, 'cancelled', 0)
      }
      statuses[id] = status
      if (Object.hasOwn(this.scope, id)) outputs[id] = this.scope[id]
    }
    if (kind !== 'ok') this.controller.abort(new Error(`item ${kind}`))
    this.resolveOutcome({
      id: this.id, sequence: this.sequence, outcome: kind, item: this.item, outputs, statuses,
      failures: this.failures, metrics: this.metrics, ...extra,
    })
  }
}
