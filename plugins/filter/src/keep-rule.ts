import { DataflowError } from '@dataflow/sdk'
import { RATINGS, type Metric } from './default-metrics.js'
import type { KeepRule, Level } from './config-schema.js'

/** A configured keep rule, ready to check one item's numeric scores. */
export interface CompiledKeepRule {
  /** The shortfalls, e.g. "factualAccuracy Good < Excellent"; empty when the caption is kept. */
  shortfalls(numeric: Readonly<Record<string, number>>, metrics: readonly Metric[]): string[]
}

const NAMES: Record<number, string> = { 3: 'Excellent', 2: 'Good', 1: 'Bad' }

function toNumber(level: Level): number {
  return typeof level === 'number' ? level : RATINGS[level]
}

/** Checks the rule against the configured metrics (unknown metric names are config errors) and compiles it. */
export function compileKeepRule(rule: KeepRule, knownMetrics: readonly string[]): CompiledKeepRule {
  const minEach = rule === 'all-excellent' ? 3 : rule.minEach === undefined ? undefined : toNumber(rule.minEach)
  const minScore =
    rule === 'all-excellent'
      ? {}
      : Object.fromEntries(Object.entries(rule.minScore ?? {}).map(([key, value]) => [key, toNumber(value)]))
  const minMean = rule === 'all-excellent' ? undefined : rule.minMean
  const unknown = Object.keys(minScore).filter((key) => !knownMetrics.includes(key))
  if (unknown.length > 0) {
    throw new DataflowError('DATAFLOW_CONFIG_INVALID', `keep.minScore: unknown metric ${unknown.join(', ')}`, {
      hint: `Metrics: ${knownMetrics.join(', ')}.`,
    })
  }
  return {
    shortfalls(numeric, metrics) {
      const found: string[] = []
      for (const { key } of metrics) {
        const required = Math.max(minEach ?? 1, minScore[key] ?? 1)
        const score = numeric[key] ?? 0
        if (score < required) found.push(`${key} ${NAMES[score] ?? score} < ${NAMES[required]}`)
      }
      if (minMean !== undefined) {
        const mean = meanOf(numeric, metrics)
        if (mean < minMean) found.push(`mean ${round(mean)} < ${minMean}`)
      }
      return found
    },
  }
}

/** Mean of the numeric ratings of the given metrics. */
export function meanOf(numeric: Readonly<Record<string, number>>, metrics: readonly Metric[]): number {
  return metrics.reduce((sum, { key }) => sum + (numeric[key] ?? 0), 0) / metrics.length
}

export function round(value: number): number {
  return Math.round(value * 1000) / 1000
}
