import { outputPathField, pathField, type JsonSchema } from '@dataflow/sdk'

/** The `with:` of an accuracy sink, after defaults are applied. */
export interface AccuracySinkConfig {
  /** Report file; relative paths land in the run directory. Default `accuracy.json`. */
  path: string
  /** Path of the benchmark name. Default `item.benchmark`. */
  benchmark: string
  /** Path of the question category. Default `item.category`. */
  category: string
  /** Path of the verdict (a boolean). Default `reasoner.correct`. */
  correct: string
  /** Path of the extracted choice (null: unanswered). Default `reasoner.choice`. */
  choice: string
}

/** JSON Schema of the sink's `with:`. */
export const configSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    path: outputPathField(
      'Report file (JSON); relative paths land in the run directory and must stay inside it. Default `accuracy.json`.',
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
  },
}
