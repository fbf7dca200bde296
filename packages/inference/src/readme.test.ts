import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { renderConfigTable, withConfigTable } from '../test-support/config-table.js'
import { modelConfigSchema } from './model-config-schema.js'

describe('README', () => {
  it('has the config table generated from modelConfigSchema (run test-support/update-readme.ts)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
    expect(readme).toContain('<!-- config:start -->')
    expect(readme).toBe(withConfigTable(readme, renderConfigTable(modelConfigSchema)))
  })
})
