import { createHash } from 'node:crypto'
import { canonicalJson } from '@dataflow/inference'
import type { NodeInstance, SourceInstance } from '@dataflow/sdk'
import type { LoadedPipeline, LoadedSink } from '../pipeline/loaded-pipeline.js'
import { findMarkedFields } from '../pipeline/find-marked-fields.js'

/** A fingerprint and what it was computed from (kept in the journal to explain changes). */
export interface Fingerprint<TParts = Record<string, unknown>> {
  hash: string
  parts: TParts
}

/** What decides a node's outputs. */
export interface NodeFingerprintParts {
  uses: string
  version: string | null
  /** `with:` after defaults. */
  with: Record<string, unknown>
  /** The instance's `identity` (prompt texts read from files, ...). */
  identity: unknown
  /** Models named by the node's `x-dataflow-model` fields: served name and generation defaults. */
  models: Record<string, { model: string; defaults: unknown }>
  when: string | null
  needs: string[]
  /** Fingerprints of the needs: a change upstream changes every dependent. */
  upstream: string[]
  [key: string]: unknown
}

export function hashParts(parts: unknown): string {
  return createHash('sha256').update(canonicalJson(parts)).digest('hex').slice(0, 32)
}

/** Fingerprints of every node, in pipeline (topological) order. */
export function nodeFingerprints(
  pipeline: LoadedPipeline,
  instances: readonly NodeInstance[],
): Array<Fingerprint<NodeFingerprintParts>> {
  const byId = new Map<string, string>()
  return pipeline.nodes.map((node, index) => {
    const models: NodeFingerprintParts['models'] = {}
    for (const field of findMarkedFields(node.definition.config, node.config, 'x-dataflow-model')) {
      if (typeof field.value !== 'string') continue
      const model = pipeline.models[field.value]
      if (model) models[field.value] = { model: model.model, defaults: model.defaults ?? null }
    }
    const parts: NodeFingerprintParts = {
      uses: node.definition.name,
      version: node.definition.version ?? node.version ?? null,
      with: node.config,
      identity: instances[index]?.identity ?? null,
      models,
      when: node.when?.source ?? null,
      needs: node.needs,
      upstream: node.needs.map((need) => byId.get(need) ?? ''),
    }
    const hash = hashParts(parts)
    byId.set(node.id, hash)
    return { hash, parts }
  })
}

/**
 * What a run's input is: a resume must see the same. `--limit` is not part of it: it only cuts
 * the input short, so a pilot run can be resumed with a larger limit or none (see `JournalMeta.limit`).
 */
export async function inputFingerprint(
  pipeline: LoadedPipeline,
  source: SourceInstance,
  options: { shard: { index: number; count: number } | undefined },
): Promise<Fingerprint> {
  const parts = {
    source: pipeline.source.definition.name,
    with: pipeline.source.config,
    fingerprint: (await source.fingerprint?.()) ?? null,
    shard: options.shard ? `${options.shard.index}/${options.shard.count}` : null,
  }
  return { hash: hashParts(parts), parts }
}

/** What a sink writes: when it changes, the sink is written again from the journal. */
export function sinkFingerprint(sink: LoadedSink): string {
  return hashParts({
    uses: sink.definition.name,
    version: sink.definition.version ?? sink.version ?? null,
    with: sink.config,
    when: sink.when.source,
    select: sink.select
      ? Object.fromEntries(Object.entries(sink.select).map(([field, expression]) => [field, expression.source]))
      : null,
  })
}

/** Top-level parts that differ between two fingerprints (`with`, `identity`, `models`, ...). */
export function changedParts(before: Record<string, unknown> | undefined, after: Record<string, unknown>): string[] {
  if (before === undefined) return ['new node']
  const keys = new Set([...Object.keys(before), ...Object.keys(after)])
  return [...keys].filter((key) => canonicalJson(before[key]) !== canonicalJson(after[key]))
}
