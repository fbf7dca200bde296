import type { InferenceObserver } from '@dataflow/inference'
import type { RunObserver } from './run-observer.js'

/** Per-item and per-request hooks of one consumer (Prometheus, OpenTelemetry). */
export interface RunHooks {
  run?: RunObserver
  inference?: InferenceObserver
}

/** One function calling each of `targets`, or undefined when there is none (the hook stays absent). */
function fanOut<A extends unknown[]>(
  targets: Array<((...args: A) => void) | undefined>,
): ((...args: A) => void) | undefined {
  const present = targets.filter((target): target is (...args: A) => void => target !== undefined)
  if (present.length === 0) return undefined
  if (present.length === 1) return present[0]
  return (...args) => {
    for (const target of present) target(...args)
  }
}

/** Keeps only the defined entries, so absent hooks stay absent under exactOptionalPropertyTypes. */
function defined<T extends object>(entries: { [K in keyof T]: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined)) as T
}

/**
 * One set of hooks that calls each of `hooks` in order. A hook none of them has stays absent,
 * so the executor and the inference service skip it at no cost.
 */
export function combineHooks(hooks: readonly RunHooks[]): RunHooks {
  const runs = hooks.flatMap((hook) => (hook.run ? [hook.run] : []))
  const inferences = hooks.flatMap((hook) => (hook.inference ? [hook.inference] : []))
  return {
    run: defined<RunObserver>({
      node: fanOut(runs.map((observer) => observer.node?.bind(observer))),
      outcome: fanOut(runs.map((observer) => observer.outcome?.bind(observer))),
    }),
    inference: defined<InferenceObserver>({
      request: fanOut(inferences.map((observer) => observer.request?.bind(observer))),
      retry: fanOut(inferences.map((observer) => observer.retry?.bind(observer))),
      queueWait: fanOut(inferences.map((observer) => observer.queueWait?.bind(observer))),
    }),
  }
}
