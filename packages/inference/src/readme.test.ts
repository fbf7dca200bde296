import { readReadmeConfigTable } from '@dataflow/sdk/testing'
import { describe, expect, it } from 'vitest'
import { modelConfigSchema } from './model-config-schema.js'

describe('README', () => {
  it('has the config table generated from modelConfigSchema (DATAFLOW_UPDATE_README=1 npx vitest run src/readme.test.ts)', () => {
    const { actual, expected } = readReadmeConfigTable(new URL('../README.md', import.meta.url), modelConfigSchema)
    expect(actual).toBe(expected)
  })
})
