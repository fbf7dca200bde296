import { defineSource } from '@dataflow/sdk'
import { configSchema, type MetafileSourceConfig } from './config.js'
import { createMetafileSource } from './metafile-source.js'
import { writesSchema } from './writes-schema.js'

export type { ItemWeights, MetafileSourceConfig } from './config.js'
export { planShards, type PlannedSlice } from './dataset/plan-shards.js'
export { createSplitPlan, type SplitPlanLine, type SplitPlanOptions } from './split-plan.js'

/** Source: datasets of a Metafile (LLaVA / InternVL annotation lists), streamed, checked and sharded by cost. */
export default defineSource<MetafileSourceConfig>({
  specVersion: 1,
  name: '@dataflow/plugin-source-metafile',
  version: '0.1.0',
  description:
    'Items from a Metafile and its LLaVA/InternVL annotation files (JSON lists or JSONL), checked before the run and split into cost-balanced shards.',
  config: configSchema,
  writes: writesSchema,
  shards: true,
  create: (config, context) => createMetafileSource(config, context),
})
