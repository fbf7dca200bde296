/** Exponential backoff with full jitter, for the pause before retry number `retry` (1-based). */
export function backoffDelay(
  retry: number,
  options: { baseMs: number; maxMs: number },
  random: () => number = Math.random,
): number {
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, retry - 1))
  return Math.floor(random() * cap)
}
