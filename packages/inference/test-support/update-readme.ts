// Regenerates the config table of README.md from modelConfigSchema: `npx tsx test-support/update-readme.ts`
import { readFileSync, writeFileSync } from 'node:fs'
import { modelConfigSchema } from '../src/model-config-schema.js'
import { renderConfigTable, withConfigTable } from './config-table.js'

const path = new URL('../README.md', import.meta.url)
writeFileSync(path, withConfigTable(readFileSync(path, 'utf8'), renderConfigTable(modelConfigSchema)))
