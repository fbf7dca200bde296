import { defineSink } from '@dataflow/sdk'
import { createAccuracySink } from './accuracy-sink.js'
import { configSchema, type AccuracySinkConfig } from './config.js'

export type { AccuracyReport, BenchmarkScore, CategoryScore, ScoredItem, Verdict } from './accuracy-report.js'
export type { AccuracySinkConfig } from './config.js'
export { toAccuracyReport } from './accuracy-report.js'

/** Sink: accuracy per benchmark and per category, written as JSON and logged as a table. */
export default defineSink<AccuracySinkConfig>({
  specVersion: 1,
  name: '@dataflow/plugin-sink-accuracy',
  version: '0.1.0',
  description:
    'Accuracy per benchmark and category of scored benchmark items (errors count as wrong), written to accuracy.json.',
  config: configSchema,
  create: (config, context) => createAccuracySink(config, context),
})
