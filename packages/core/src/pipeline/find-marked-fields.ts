import type { JsonSchema } from '@dataflow/sdk'

/** A config value whose schema carries a marker such as `x-dataflow-path`. */
export interface MarkedField {
  /** Path inside the config. */
  path: (string | number)[]
  value: unknown
}

/**
 * Walks a config value along its schema and returns the values whose schema has
 * `marker: true` (`x-dataflow-path`, `x-dataflow-model`, ...). Follows `properties`,
 * `additionalProperties`, `items`, `prefixItems`, local `$ref`s and `allOf`/`anyOf`/`oneOf`.
 */
export function findMarkedFields(
  schema: JsonSchema,
  value: unknown,
  marker:
    'x-dataflow-path' | 'x-dataflow-model' | 'x-dataflow-expression' | 'x-dataflow-template' | 'x-dataflow-output',
): MarkedField[] {
  const found = new Map<string, MarkedField>()
  // `seen` holds the schemas already applied to the current value: it stops `$ref` loops.
  const visit = (
    node: JsonSchema | boolean | undefined,
    current: unknown,
    path: (string | number)[],
    seen = new Set<JsonSchema>(),
  ): void => {
    if (node === undefined || typeof node === 'boolean' || current === undefined || seen.has(node)) return
    seen.add(node)
    const target = typeof node.$ref === 'string' ? resolveLocalRef(schema, node.$ref) : undefined
    if (target !== undefined) visit(target, current, path, seen)
    if (node[marker] === true) found.set(JSON.stringify(path), { path, value: current })
    for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
      for (const branch of (node[keyword] as readonly JsonSchema[] | undefined) ?? [])
        visit(branch, current, path, seen)
    }
    if (Array.isArray(current)) {
      const prefix = Array.isArray(node['prefixItems']) ? (node['prefixItems'] as JsonSchema[]) : []
      current.forEach((item, index) =>
        visit(prefix[index] ?? (isSchema(node.items) ? node.items : undefined), item, [...path, index]),
      )
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, child] of Object.entries(current)) {
        const property =
          node.properties !== undefined && Object.hasOwn(node.properties, key) ? node.properties[key] : undefined
        visit(property ?? (isSchema(node.additionalProperties) ? node.additionalProperties : undefined), child, [
          ...path,
          key,
        ])
      }
    }
  }
  visit(schema, value, [])
  return [...found.values()]
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null
}

/** Resolves `#/$defs/x` and `#/definitions/x` inside `root`. */
function resolveLocalRef(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (!ref.startsWith('#')) return undefined
  let node: unknown = root
  for (const raw of ref
    .slice(1)
    .split('/')
    .filter((segment) => segment !== '')) {
    const segment = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~')
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return undefined
    node = (node as Record<string, unknown>)[segment]
  }
  return isSchema(node) ? node : undefined
}
