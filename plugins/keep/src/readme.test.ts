import { readReadmeConfigTable } from '@dataflow/sdk/testing'
import { describe, expect, it } from 'vitest'
import definition from './index.js'

describe('README', () => {
  it('has the config table generated from the config schema (DATAFLOW_UPDATE_README=1 npx vitest run src/readme.test.ts)', () => {
    const { actual, expected } = readReadmeConfigTable(new URL('../README.md', import.meta.url), definition.config)
    expect(actual).toBe(expected)
  })
})
