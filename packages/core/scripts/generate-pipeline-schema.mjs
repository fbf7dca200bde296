#!/usr/bin/env node
// Generates packages/core/pipeline.schema.json from src/pipeline/pipeline-file.ts (type PipelineFile)
// and embeds the `models:` entry schema from @dataflow/inference.
// Usage: node scripts/generate-pipeline-schema.mjs [--check]   (--check: exit 1 if the file is stale)
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createGenerator } from 'ts-json-schema-generator'

const packageDir = fileURLToPath(new URL('..', import.meta.url))
export const SCHEMA_FILE = `${packageDir}pipeline.schema.json`
export const SCHEMA_ID = 'https://unpkg.com/@dataflow/core/pipeline.schema.json'

/** The schema generated from the types, with `modelConfigSchema` as the `models:` entries. */
export function buildPipelineSchema(modelConfigSchema) {
  const generated = createGenerator({
    path: `${packageDir}src/pipeline/pipeline-file.ts`,
    tsconfig: `${packageDir}tsconfig.json`,
    type: 'PipelineFile',
    expose: 'export',
    topRef: true,
    jsDoc: 'extended',
    skipTypeCheck: true,
    additionalProperties: false,
  }).createSchema('PipelineFile')
  const { PipelineFile: root, ...definitions } = generated.definitions
  const { $schema: _schema, $id: _id, ...modelConfig } = modelConfigSchema
  definitions.ModelConfig = modelConfig
  root.properties.models = {
    ...root.properties.models,
    type: 'object',
    additionalProperties: { $ref: '#/definitions/ModelConfig' },
  }
  const schema = {
    $schema: generated.$schema,
    $id: SCHEMA_ID,
    title: 'dataflow pipeline file',
    $comment:
      'Generated from packages/core/src/pipeline/pipeline-file.ts: do not edit. String patterns also accept text starting with ${ so that editors accept ${VAR} before it is substituted.',
    ...root,
    definitions,
  }
  return acceptInterpolation(pruneDefinitions(schema))
}

/** What a pattern becomes: `${...}` is accepted too (the loader checks the substituted value). */
export const INTERPOLATION_PREFIX = '^\\$\\{|(?:'

/** Lets string patterns accept `${VAR}` text, so editors do not flag values substituted at load time. */
function acceptInterpolation(node) {
  if (Array.isArray(node)) node.forEach(acceptInterpolation)
  else if (typeof node === 'object' && node !== null) {
    if (typeof node.pattern === 'string' && !node.pattern.startsWith(INTERPOLATION_PREFIX))
      node.pattern = `${INTERPOLATION_PREFIX}${node.pattern})`
    Object.values(node).forEach(acceptInterpolation)
  }
  return node
}

/** Drops definitions nothing refers to (types only reachable from the replaced ModelConfig). */
function pruneDefinitions(schema) {
  const reachable = new Set()
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit)
    if (typeof node !== 'object' || node === null) return
    for (const [key, value] of Object.entries(node)) {
      if (key === 'definitions' && node === schema) continue
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/definitions/')) {
        const name = decodeURIComponent(value.slice('#/definitions/'.length))
        if (!reachable.has(name)) {
          reachable.add(name)
          visit(schema.definitions[name])
        }
      } else visit(value)
    }
  }
  visit(schema)
  schema.definitions = Object.fromEntries(Object.entries(schema.definitions).filter(([name]) => reachable.has(name)))
  return schema
}

export function toSchemaText(schema) {
  return `${JSON.stringify(schema, null, 2)}\n`
}

/** Generates the schema with the real `modelConfigSchema` (needs packages/inference built). */
export async function generatePipelineSchema() {
  const { modelConfigSchema } = await import('@dataflow/inference')
  return buildPipelineSchema(modelConfigSchema)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = toSchemaText(await generatePipelineSchema())
  if (process.argv.includes('--check')) {
    const current = readFileSync(SCHEMA_FILE, 'utf8')
    if (current !== text) {
      console.error(
        'pipeline.schema.json is stale: run `npm run build` in packages/core (or node scripts/generate-pipeline-schema.mjs)',
      )
      process.exit(1)
    }
  } else {
    writeFileSync(SCHEMA_FILE, text)
    console.log(`wrote ${SCHEMA_FILE}`)
  }
}
