import type { JsonSchema } from '@dataflow/sdk'

const typeOf = (schema: JsonSchema): string => {
  if (schema.enum) return schema.enum.map((value) => `\`${String(value)}\``).join(' \\| ')
  if (schema.anyOf)
    return schema.anyOf.map((branch) => (branch.pattern === '^https?://' ? 'URL' : typeOf(branch))).join(' \\| ')
  if (schema.type === 'array') return `${typeOf(schema.items ?? {})}[]`
  if (schema.pattern === '^https?://') return 'URL'
  return String(schema.type ?? 'any')
}

const defaultOf = (schema: JsonSchema): string => {
  if (schema.default === undefined || (typeof schema.default === 'object' && schema.default !== null)) return ''
  return `\`${JSON.stringify(schema.default)}\``
}

/** The README's config table, generated from the schema (a test keeps them equal). */
export function renderConfigTable(schema: JsonSchema): string {
  const rows = ['| Field | Type | Default | Description |', '| --- | --- | --- | --- |']
  const walk = (node: JsonSchema, prefix: string) => {
    for (const [name, property] of Object.entries(node.properties ?? {})) {
      const required = node.required?.includes(name) ? ' (required)' : ''
      rows.push(
        `| \`${prefix}${name}\`${required} | ${typeOf(property)} | ${defaultOf(property)} | ${(property.description ?? '').replaceAll('|', '\\|')} |`,
      )
      if (property.properties) walk(property, `${prefix}${name}.`)
      for (const branch of property.anyOf ?? []) if (branch.properties) walk(branch, `${prefix}${name}.`)
    }
  }
  walk(schema, '')
  return rows.join('\n')
}

/** Replaces the text between `<!-- config:start -->` and `<!-- config:end -->`. */
export function withConfigTable(readme: string, table: string): string {
  return readme.replace(/(<!-- config:start -->\n)[\s\S]*?(<!-- config:end -->)/, `$1${table}\n$2`)
}
