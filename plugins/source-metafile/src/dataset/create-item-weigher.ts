import { DEFAULT_WEIGHTS, type ItemWeights } from '../config.js'
import type { DatasetSpec } from './dataset-spec.js'
import type { AnnotationRecord } from './to-annotation-record.js'
import { toModality } from './to-modality.js'

/** Spellings of the two CapFlow domains that run four agents (Structure & Math, Infographic & Document). */
const FOUR_AGENT_LABELS = [
  'chart-math',
  'Chart & Math',
  'Structure & Math',
  'Math & Chart',
  'Chart',
  'Charts',
  'Structure',
  'Math',
  'Mathematics',
  'Geometry',
  'document',
  'Infographic & Document',
  'Document & Infographic',
  'Documents',
  'Infographic',
  'Infographics',
]

/** Lower case, the word "and" dropped, only letters and digits: "Structure & Math" -> "structuremath". */
const toLabelKey = (label: string) =>
  label
    .toLowerCase()
    .replace(/\band\b/g, ' ')
    .replace(/[^a-z0-9]+/g, '')
const FOUR_AGENT_KEYS = new Set(FOUR_AGENT_LABELS.map(toLabelKey))

/**
 * The relative cost of an item for shard planning: the modality's weight, times 4/3 for
 * images of a four-agent domain (the record's `task`, else the dataset's).
 */
export function createItemWeigher(weights: ItemWeights = {}): (spec: DatasetSpec, record: AnnotationRecord) => number {
  const image = weights.image ?? DEFAULT_WEIGHTS.image
  const video = weights.video ?? DEFAULT_WEIGHTS.video
  return (spec, record) => {
    if (toModality(spec, record) === 'video') return video
    const task = record.task ?? spec.task
    return task !== undefined && FOUR_AGENT_KEYS.has(toLabelKey(task)) ? (image * 4) / 3 : image
  }
}
