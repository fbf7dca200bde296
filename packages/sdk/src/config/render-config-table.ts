import type { JsonSchema } from '../json-schema.js'

/** The README lines between these markers are generated from the config schema. */
export const CONFIG_TABLE_START = '<!-- config:start -->'
export const CONFIG_TABLE_END = '<!-- config:end -->'

const URL_PATTERN = '^https?://'

/**
 * The Markdown config table of a schema: one row per field, nested fields as `a.b` and list
 * entries as `a[].b`. Reference docs are generated, never hand-edited: a plugin's README test
 * compares its table with this.
 */
export function renderConfigTable(schema: JsonSchema): string {
  const rows = ['| Field | Type | Default | Description |', '| --- | --- | --- | --- |']
  const walk = (node: JsonSchema, prefix: string): void => {
    for (const [name, property] of Object.entries(node.properties ?? {})) {
      const required = node.required?.includes(name) ? ' (required)' : ''
      rows.push(
        `| \`${prefix}${name}\`${required} | ${typeOf(property)} | ${defaultOf(property.default)} | ${cell(property.description ?? '')} |`,
      )
      for (const nested of nestedObjects(property)) walk(nested.schema, `${prefix}${name}${nested.suffix}.`)
    }
  }
  walk(schema, '')
  return rows.join('\n')
}

/** `readme` with the text between the config markers replaced by `table`; unchanged without markers. */
export function withConfigTable(readme: string, table: string): string {
  const start = readme.indexOf(CONFIG_TABLE_START)
  const end = readme.indexOf(CONFIG_TABLE_END, start)
  if (start < 0 || end < 0) return readme
  return `${readme.slice(0, start + CONFIG_TABLE_START.length)}\n${table}\n${readme.slice(end)}`
}

function nestedObjects(schema: JsonSchema): { schema: JsonSchema; suffix: string }[] {
  const found: { schema: JsonSchema; suffix: string }[] = []
  if (schema.properties !== undefined) found.push({ schema, suffix: '' })
  if (schema.items?.properties !== undefined) found.push({ schema: schema.items, suffix: '[]' })
  for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) found.push(...nestedObjects(branch))
  return found
}

function typeOf(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((value) => `\`${String(value)}\``).join(' \\| ')
  const constant = schema.const
  if (constant !== undefined) return `\`${typeof constant === 'string' ? constant : JSON.stringify(constant)}\``
  const branches = schema.anyOf ?? schema.oneOf
  if (branches) return [...new Set(branches.map(typeOf))].join(' \\| ')
  if (schema['x-dataflow-model']) return 'model name'
  if (schema['x-dataflow-path']) return 'path'
  if (schema['x-dataflow-output']) return 'output path'
  if (schema.pattern === URL_PATTERN) return 'URL'
  if (schema.type === 'array') return `${typeOf(schema.items ?? {})}[]`
  if (schema.type === 'object' && schema.properties === undefined && typeof schema.additionalProperties === 'object')
    return `{ name: ${typeOf(schema.additionalProperties)} }`
  if (Array.isArray(schema.type)) return schema.type.join(' \\| ')
  return String(schema.type ?? 'any')
}

function defaultOf(value: unknown): string {
  if (value === undefined) return ''
  const text = JSON.stringify(value)
  if (text.length <= 40) return `\`${text}\``
  return Array.isArray(value) ? `${value.length} entries (see description)` : 'see description'
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ')
}
