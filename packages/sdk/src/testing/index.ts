/** Test helpers for plugin authors: run a node on fixture items against fake inference and media. */
export { createFakeInference, type FakeInference, type FakeResponder } from './fake-inference.js'
export { createFakeMedia } from './fake-media.js'
export { runNode, type RunNodeOptions, type TestItem, type TestOutcome } from './run-node.js'
export { createIoContext } from './io-context.js'
export { readReadmeConfigTable, UPDATE_README_VARIABLE } from './readme-config-table.js'
export { createReplayInference } from '../tape/replay-inference.js'
export { configFor } from './config-for.js'
