import { readFileSync, writeFileSync } from 'node:fs'
import {
  CONFIG_TABLE_END,
  CONFIG_TABLE_START,
  renderConfigTable,
  withConfigTable,
} from '../config/render-config-table.js'
import type { JsonSchema } from '../json-schema.js'

/** Set to `1` to let {@link readReadmeConfigTable} rewrite the README table instead of only comparing. */
export const UPDATE_README_VARIABLE = 'DATAFLOW_UPDATE_README'

/**
 * Reads a plugin README and the text it should have, with the config table generated from
 * `schema` between `<!-- config:start -->` and `<!-- config:end -->`. A README test asserts
 * `actual === expected`. With `DATAFLOW_UPDATE_README=1` in the environment the file is
 * rewritten first (so the test passes and the diff shows in git).
 */
export function readReadmeConfigTable(readme: string | URL, schema: JsonSchema): { actual: string; expected: string } {
  const actual = readFileSync(readme, 'utf8')
  if (!actual.includes(CONFIG_TABLE_START) || !actual.includes(CONFIG_TABLE_END)) {
    throw new Error(
      `${String(readme)} has no config table markers: add a line ${CONFIG_TABLE_START} and a line ${CONFIG_TABLE_END} where the table goes`,
    )
  }
  const expected = withConfigTable(actual, renderConfigTable(schema))
  if (process.env[UPDATE_README_VARIABLE] === '1' && expected !== actual) {
    writeFileSync(readme, expected)
    return { actual: expected, expected }
  }
  return { actual, expected }
}
