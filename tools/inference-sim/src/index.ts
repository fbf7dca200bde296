/**
 * @dataflow/inference-sim: a TEST DOUBLE of a vLLM OpenAI-compatible server for tests, the
 * demo and benchmarks. No model runs; answers are simulated and say so.
 */
export { startSimulator, type Simulator } from './start-simulator.js'
export {
  DEFAULT_FAULTS,
  DEFAULT_SETTINGS,
  resolveOptions,
  type Faults,
  type ResolvedOptions,
  type SimulatorOptions,
  type SimulatorSettings,
} from './options.js'
export type { SimStats, WaitSummary } from './sim-stats.js'
export { requestContentHash } from './hash.js'
export { readImageSize, type ImageSize } from './image-size.js'
export { pickEnum } from './json-from-schema.js'
export { SIMULATED_MARKER } from './simulated-text.js'
export { DEFAULT_MODEL } from './simulator-state.js'
export { SIMULATOR_FINGERPRINT } from './chat-response.js'
