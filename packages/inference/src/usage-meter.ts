import { createHistogram, type HistogramSummary, type TokenUsage } from '@dataflow/sdk'

/** Usage of one model, by one node or in total. */
export interface UsageReport {
  /** Chat completions asked for (network, cache and failed ones; a re-ask counts as one more). */
  requests: number
  /** HTTP attempts sent. */
  attempts: number
  /** Attempts beyond the first of each request. */
  retries: number
  /** Structured-output answers that were invalid and asked again. */
  reasks: number
  promptTokens: number
  completionTokens: number
  /** Requests answered from the request cache (no tokens spent). */
  cachedAnswers: number
  /** Tokens the cached answers would have cost. */
  savedPromptTokens: number
  savedCompletionTokens: number
  /** Failed requests by error code. */
  errors: Record<string, number>
  /** Time from call to answer (queueing and retries included) of requests answered by the server. */
  latencyMs: HistogramSummary
}

export interface UsageMeter {
  answered(attempts: number, usage: TokenUsage, latencyMs: number): void
  cached(usage: TokenUsage): void
  failed(code: string, attempts: number): void
  /** An error that is not a request of its own (an answer that stayed invalid after the re-ask). */
  countError(code: string): void
  reasked(): void
  /** Prompt plus completion tokens spent so far. */
  readonly tokens: number
  snapshot(): UsageReport
}

export function createUsageMeter(): UsageMeter {
  const latency = createHistogram()
  const errors: Record<string, number> = {}
  const totals = {
    requests: 0,
    attempts: 0,
    retries: 0,
    reasks: 0,
    promptTokens: 0,
    completionTokens: 0,
    cachedAnswers: 0,
    savedPromptTokens: 0,
    savedCompletionTokens: 0,
  }
  const sent = (attempts: number) => {
    totals.requests++
    totals.attempts += attempts
    totals.retries += Math.max(0, attempts - 1)
  }
  return {
    answered(attempts, usage, latencyMs) {
      sent(attempts)
      totals.promptTokens += usage.promptTokens
      totals.completionTokens += usage.completionTokens
      latency.record(latencyMs)
    },
    cached(usage) {
      totals.requests++
      totals.cachedAnswers++
      totals.savedPromptTokens += usage.promptTokens
      totals.savedCompletionTokens += usage.completionTokens
    },
    failed(code, attempts) {
      sent(attempts)
      errors[code] = (errors[code] ?? 0) + 1
    },
    countError(code) {
      errors[code] = (errors[code] ?? 0) + 1
    },
    reasked() {
      totals.reasks++
    },
    get tokens() {
      return totals.promptTokens + totals.completionTokens
    },
    snapshot: () => ({ ...totals, errors: { ...errors }, latencyMs: latency.summary() }),
  }
}
