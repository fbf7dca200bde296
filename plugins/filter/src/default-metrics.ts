import type { ConfigOf } from '@dataflow/sdk'
import type { metricSchema } from './config-schema.js'

/** One aspect the judge rates Excellent / Good / Bad. */
export type Metric = ConfigOf<typeof metricSchema>

/** The five image metrics of the CapFlow post filter. */
export const IMAGE_METRICS: Metric[] = [
  {
    key: 'factualAccuracy',
    name: 'Factual accuracy',
    description:
      'Every statement matches the image: objects, counts, attributes, positions, text and numbers. Nothing is invented.',
  },
  {
    key: 'informationCompleteness',
    name: 'Information completeness',
    description:
      'The caption covers the important content: the main subjects, the relevant details, the visible text and data.',
  },
  {
    key: 'reasoningRigor',
    name: 'Reasoning rigor',
    description:
      'Inferences and explanations follow from visible evidence and are correct; no unsupported speculation.',
  },
  {
    key: 'intentCapture',
    name: 'Intent capture',
    description:
      'The caption conveys the purpose or main message of the image: what it is for and what it communicates.',
  },
  {
    key: 'professionalism',
    name: 'Professionalism',
    description: 'Precise domain terminology, clear organisation, fluent language; no meta-commentary or filler.',
  },
]

/** The five video metrics of the CapFlow post filter. */
export const VIDEO_METRICS: Metric[] = [
  {
    key: 'temporalFactualAccuracy',
    name: 'Temporal and factual accuracy',
    description: 'Subjects, events and details match the frames and are told in the right order. Nothing is invented.',
  },
  {
    key: 'eventDetailCoverage',
    name: 'Event and detail coverage',
    description: 'The key events, subjects and important details of the clip are all covered.',
  },
  {
    key: 'temporalCausalLogic',
    name: 'Temporal causal logic',
    description:
      'How the situation develops and what causes what is explained coherently and consistently with the frames.',
  },
  {
    key: 'coreIntent',
    name: 'Core intent',
    description: 'The caption conveys the purpose or central message of the clip.',
  },
  {
    key: 'professionalism',
    name: 'Professionalism',
    description: 'Precise terminology, clear organisation, fluent language; no meta-commentary or filler.',
  },
]

/** Ratings and their numeric values. */
export const RATINGS = { Excellent: 3, Good: 2, Bad: 1 } as const
export type Rating = keyof typeof RATINGS
export const RATING_NAMES = Object.keys(RATINGS) as Rating[]
