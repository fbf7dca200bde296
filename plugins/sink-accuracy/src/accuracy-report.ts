/** How one item counts. */
export type Verdict = 'correct' | 'wrong' | 'unanswered' | 'error'

/** One scored item. */
export interface ScoredItem {
  benchmark: string
  category: string
  verdict: Verdict
}

export interface CategoryScore {
  total: number
  correct: number
  /** correct / total, rounded to 4 decimals. */
  accuracy: number
}

export interface BenchmarkScore extends CategoryScore {
  /** Answered, but no option could be extracted (counted as wrong). */
  unanswered: number
  /** Items that ended in error (or were rejected) before being scored (counted as wrong). */
  errors: number
  categories: Record<string, CategoryScore>
}

/** The file the sink writes. */
export interface AccuracyReport {
  benchmarks: Record<string, BenchmarkScore>
  overall: {
    total: number
    correct: number
    /** Over all items (micro average); null when there are none. */
    accuracy: number | null
    unanswered: number
    errors: number
    /** Mean of the benchmark accuracies (macro average, as papers report); null when there are none. */
    benchmarkMean: number | null
  }
}

const round = (value: number) => Math.round(value * 10_000) / 10_000

/** Aggregates scored items per benchmark and category; names are sorted for a stable file. */
export function toAccuracyReport(items: Iterable<ScoredItem>): AccuracyReport {
  const tallies = new Map<
    string,
    {
      total: number
      correct: number
      unanswered: number
      errors: number
      categories: Map<string, { total: number; correct: number }>
    }
  >()
  for (const { benchmark, category, verdict } of items) {
    let tally = tallies.get(benchmark)
    if (tally === undefined)
      tallies.set(benchmark, (tally = { total: 0, correct: 0, unanswered: 0, errors: 0, categories: new Map() }))
    let byCategory = tally.categories.get(category)
    if (byCategory === undefined) tally.categories.set(category, (byCategory = { total: 0, correct: 0 }))
    tally.total++
    byCategory.total++
    if (verdict === 'correct') {
      tally.correct++
      byCategory.correct++
    } else if (verdict === 'unanswered') tally.unanswered++
    else if (verdict === 'error') tally.errors++
  }
  const benchmarks: Record<string, BenchmarkScore> = {}
  const overall = { total: 0, correct: 0, unanswered: 0, errors: 0 }
  for (const name of [...tallies.keys()].sort()) {
    const tally = tallies.get(name)!
    const categories: Record<string, CategoryScore> = {}
    for (const category of [...tally.categories.keys()].sort()) {
      const { total, correct } = tally.categories.get(category)!
      categories[category] = { total, correct, accuracy: round(correct / total) }
    }
    benchmarks[name] = {
      total: tally.total,
      correct: tally.correct,
      accuracy: round(tally.correct / tally.total),
      unanswered: tally.unanswered,
      errors: tally.errors,
      categories,
    }
    overall.total += tally.total
    overall.correct += tally.correct
    overall.unanswered += tally.unanswered
    overall.errors += tally.errors
  }
  const accuracies = [...tallies.values()].map((tally) => tally.correct / tally.total)
  return {
    benchmarks,
    overall: {
      total: overall.total,
      correct: overall.correct,
      accuracy: overall.total === 0 ? null : round(overall.correct / overall.total),
      unanswered: overall.unanswered,
      errors: overall.errors,
      benchmarkMean:
        accuracies.length === 0 ? null : round(accuracies.reduce((sum, value) => sum + value, 0) / accuracies.length),
    },
  }
}
