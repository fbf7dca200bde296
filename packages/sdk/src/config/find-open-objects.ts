import type { JsonSchema } from '../json-schema.js'

/**
 * Places in a config schema that accept keys nobody declared: an object (`type: object` or `properties`)
 * without `additionalProperties`. Such a schema lets a typo (`fallbak: de`) through silently, so the
 * engine refuses it. Returns JSON-pointer-like locations (`''` is the root).
 */
export function findOpenObjects(schema: JsonSchema, at = ''): string[] {
  const found: string[] = []
  const isObject = schema.properties !== undefined || schema.type === 'object'
  if (isObject && schema.additionalProperties === undefined) found.push(at === '' ? '/' : at)
  for (const [key, child] of Object.entries(schema.properties ?? {}))
    found.push(...findOpenObjects(child, `${at}/properties/${key}`))
  if (typeof schema.additionalProperties === 'object')
    found.push(...findOpenObjects(schema.additionalProperties, `${at}/additionalProperties`))
  if (schema.items !== undefined) found.push(...findOpenObjects(schema.items, `${at}/items`))
  for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = schema[keyword] as readonly JsonSchema[] | undefined
    branches?.forEach((branch, index) => found.push(...findOpenObjects(branch, `${at}/${keyword}/${index}`)))
  }
  return found
}
