// @ts-check
import { moduleBoundaries } from './module-boundaries.js'

/** The repository's own ESLint rules, used by the root eslint.config.js as the `dataflow` plugin. */
const plugin = {
  meta: { name: '@dataflow/lint-rules' },
  rules: { 'module-boundaries': moduleBoundaries },
}

export default plugin
