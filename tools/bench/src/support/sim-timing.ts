import type { ResolvedOptions } from '@dataflow/inference-sim'

/** The simulator's timing settings that capacity depends on. */
export type SimTiming = Pick<
  ResolvedOptions,
  'maxSeqs' | 'baseStepMs' | 'stepSlope' | 'prefillMsPer1kTokens' | 'timeScale'
>

/** Decode step at a full batch, simulated ms: base-step x (1 + slope). */
export function fullBatchStepMs(sim: SimTiming): number {
  return sim.baseStepMs * (1 + sim.stepSlope)
}

/**
 * Simulated ms one request holds a batch slot at a full batch: its prefill (uncached prompt
 * tokens) plus one step per generated token. Prefill is charged to its own request only, and
 * steps are longest when the batch is full, so a full batch is where the server's token
 * throughput (running / step) peaks: this is the server's best case.
 */
export function slotMs(sim: SimTiming, uncachedPromptTokens: number, completionTokens: number): number {
  return (uncachedPromptTokens / 1000) * sim.prefillMsPer1kTokens + completionTokens * fullBatchStepMs(sim)
}

/** The time scale at which a server full of requests of `slotMsPerRequest` answers `requestsPerSecond` in real time. */
export function timeScaleFor(
  sim: Omit<SimTiming, 'timeScale'>,
  slotMsPerRequest: number,
  requestsPerSecond: number,
): number {
  const simulatedRate = (sim.maxSeqs * 1000) / slotMsPerRequest
  return Number((simulatedRate / requestsPerSecond).toPrecision(3))
}
