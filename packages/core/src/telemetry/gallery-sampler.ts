import type { ImageRef } from '@dataflow/sdk'
import type { ItemOutcome } from '../runtime/item-outcome.js'
import { readFacet, type FacetSpec } from './facets.js'

/** Items kept per outcome (ok, rejected) in the gallery: a uniform sample of the whole run. */
export const GALLERY_PER_OUTCOME = 24
/** Longest text (caption) kept per gallery item, in characters. */
export const GALLERY_TEXT_CHARS = 600

/** Where a gallery thumbnail comes from: an image file, or the first moment of a video. */
export type MediaPointer = { kind: 'image'; source: string } | { kind: 'video'; source: string }

/** One item of the gallery, as small as the report needs. */
export interface GalleryItem {
  id: string
  sequence: number
  outcome: 'ok' | 'rejected'
  media?: MediaPointer
  /** Facet values of the item, by facet path (domain, verdict, score per metric). */
  facets: Record<string, string | number>
  /** The caption, cut at {@link GALLERY_TEXT_CHARS}. */
  text?: string
  rejection?: { node: string; reason: string }
}

export interface GallerySample {
  /** Finished items seen per outcome (the population the sample was drawn from). */
  seen: { ok: number; rejected: number }
  items: GalleryItem[]
}

/** Finds the media a node prepared (an ImageRef or VideoRef at the top of an output or one level down). */
export function findMedia(outputs: Record<string, unknown>): MediaPointer | undefined {
  for (const output of Object.values(outputs)) {
    const found = asMedia(output)
    if (found) return found
    if (output !== null && typeof output === 'object')
      for (const value of Object.values(output as Record<string, unknown>)) {
        const nested = asMedia(value)
        if (nested) return nested
      }
  }
  return undefined
}

function asMedia(value: unknown): MediaPointer | undefined {
  if (value === null || typeof value !== 'object') return undefined
  const ref = value as Partial<ImageRef> & { kind?: unknown }
  if ((ref.kind === 'image' || ref.kind === 'video') && typeof ref.source === 'string')
    return { kind: ref.kind, source: ref.source }
  return undefined
}

/** Reservoir sampling (algorithm R) of kept and rejected items: a fixed-size uniform sample, O(1) per item. */
export class GallerySampler {
  private readonly seen = { ok: 0, rejected: 0 }
  private readonly reservoirs: { ok: GalleryItem[]; rejected: GalleryItem[] } = { ok: [], rejected: [] }

  constructor(
    private readonly facets: readonly FacetSpec[],
    private readonly textField: { node: string; key: string } | undefined,
    private readonly random: () => number = Math.random,
    prior?: GallerySample,
    private readonly capacity = GALLERY_PER_OUTCOME,
  ) {
    if (prior) {
      this.seen.ok = prior.seen.ok
      this.seen.rejected = prior.seen.rejected
      for (const item of prior.items) this.reservoirs[item.outcome].push(item)
    }
  }

  add(outcome: ItemOutcome): void {
    const kind = outcome.outcome
    if (kind !== 'ok' && kind !== 'rejected') return
    const seen = ++this.seen[kind]
    const reservoir = this.reservoirs[kind]
    if (reservoir.length < this.capacity) {
      reservoir.push(this.toItem(outcome, kind))
      return
    }
    const slot = Math.floor(this.random() * seen)
    if (slot < this.capacity) reservoir[slot] = this.toItem(outcome, kind)
  }

  toJSON(): GallerySample {
    return {
      seen: { ...this.seen },
      items: [...this.reservoirs.ok, ...this.reservoirs.rejected].sort((a, b) => a.sequence - b.sequence),
    }
  }

  private toItem(outcome: ItemOutcome, kind: 'ok' | 'rejected'): GalleryItem {
    const facets: Record<string, string | number> = {}
    for (const spec of this.facets) {
      const value = readFacet(outcome, spec)
      if (value !== undefined) facets[spec.path] = value
    }
    const media = findMedia(outcome.outputs)
    const text = this.textField
      ? (outcome.outputs[this.textField.node] as Record<string, unknown> | undefined)?.[this.textField.key]
      : undefined
    return {
      id: outcome.id,
      sequence: outcome.sequence,
      outcome: kind,
      ...(media ? { media } : {}),
      facets,
      ...(typeof text === 'string' ? { text: text.slice(0, GALLERY_TEXT_CHARS) } : {}),
      ...(outcome.rejection
        ? { rejection: { node: outcome.rejection.node, reason: outcome.rejection.reason.slice(0, GALLERY_TEXT_CHARS) } }
        : {}),
    }
  }
}
