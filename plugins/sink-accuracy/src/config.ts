import { field, outputPathField, pathField, type ConfigOf } from '@dataflow/sdk'

/** JSON Schema of the sink's `with:`; {@link AccuracySinkConfig} is inferred from it. */
export const configSchema = field.object({
  path: outputPathField(
    'Report file (JSON); relative paths land in the run directory and must stay inside it.',
    'accuracy.json',
  ),
  benchmark: pathField(
    'Path of the benchmark name; items without one are counted under the first part of their id (`<benchmark>/<index>`).',
    'item.benchmark',
  ),
  category: pathField(
    'Path of the question category; items without one are counted under `uncategorized`.',
    'item.category',
  ),
  correct: pathField('Path of the verdict (true when the answer is right).', 'reasoner.correct'),
  choice: pathField('Path of the extracted choice; null counts as unanswered.', 'reasoner.choice'),
})

/** The `with:` of an accuracy sink, after defaults are applied. */
export type AccuracySinkConfig = ConfigOf<typeof configSchema>
