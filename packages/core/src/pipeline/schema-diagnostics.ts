import type { ErrorObject } from 'ajv'
import type { ErrorCode, JsonSchema } from '@dataflow/sdk'
import type { Reporter } from './create-reporter.js'
import { didYouMean, listOf } from './suggest.js'
import type { DocumentPath } from './yaml-position.js'

/**
 * Reports ajv errors (from a validator compiled with `allErrors` and `verbose`) for the data at
 * `base` in the document, one diagnostic per problem, with messages that say what to write.
 */
export function reportSchemaErrors(
  reporter: Reporter,
  errors: readonly ErrorObject[],
  base: DocumentPath,
  code: ErrorCode = 'DATAFLOW_CONFIG_INVALID',
): void {
  for (const error of selectErrors(errors)) {
    const path = [...base, ...pointerToPath(error.instancePath)]
    const parent = error.parentSchema as JsonSchema | undefined
    const description = typeof parent?.description === 'string' ? parent.description : undefined
    const name = displayPath(path)
    const params = error.params as Record<string, unknown>
    switch (error.keyword) {
      case 'required': {
        const missing = String(params['missingProperty'])
        const property = parent?.properties?.[missing]
        reporter.report(code, path, `${name} is missing the required key "${missing}"`, {
          at: 'key',
          hint: typeof property?.description === 'string' ? `${missing}: ${property.description}` : undefined,
        })
        break
      }
      case 'additionalProperties': {
        const unknown = String(params['additionalProperty'])
        const known = Object.keys(parent?.properties ?? {})
        reporter.report(code, [...path, unknown], `${name} has an unknown key "${unknown}"`, {
          at: 'key',
          hint: didYouMean(unknown, known) ?? (known.length > 0 ? `known keys: ${listOf(known)}` : 'remove it'),
        })
        break
      }
      case 'enum': {
        const allowed = (params['allowedValues'] as unknown[]).map((value) => String(value))
        const suggestion = typeof error.data === 'string' ? didYouMean(error.data, allowed) : undefined
        reporter.report(
          code,
          path,
          `${name} must be one of ${listOf(
            allowed.map((value) => JSON.stringify(value)),
            20,
          )}, not ${describeValue(error.data)}`,
          {
            hint: suggestion ?? description,
          },
        )
        break
      }
      case 'const':
        reporter.report(
          code,
          path,
          `${name} must be ${JSON.stringify(params['allowedValue'])}, not ${describeValue(error.data)}`,
          { hint: description },
        )
        break
      case 'type':
        reporter.report(
          code,
          path,
          `${name} must be ${article(String(params['type']))}, not ${describeValue(error.data)}`,
          { hint: description },
        )
        break
      case 'pattern':
        reporter.report(
          code,
          path,
          `${name} must match the pattern ${withoutInterpolation(String(params['pattern']))}, not ${describeValue(error.data)}`,
          { hint: description },
        )
        break
      case 'minProperties':
      case 'minItems': {
        const limit = Number(params['limit'])
        reporter.report(code, path, `${name} must have at least ${limit} ${limit === 1 ? 'entry' : 'entries'}`, {
          hint: description,
        })
        break
      }
      case 'anyOf':
      case 'oneOf':
        reporter.report(code, path, `${name} does not match any of the allowed forms`, { hint: description })
        break
      default:
        reporter.report(code, path, `${name} ${error.message ?? 'is not valid'}`, { hint: description })
    }
  }
}

/**
 * For `anyOf` / `oneOf`, keeps the errors of the one branch the value was meant for (the
 * branches that failed only on `type` are other forms); when no branch is left, keeps a single
 * "expected one of these types" error.
 */
function selectErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  let kept = [...errors]
  const unions = errors.filter((error) => error.keyword === 'anyOf' || error.keyword === 'oneOf')
  for (const union of unions) {
    if (!kept.includes(union)) continue
    const prefix = `${union.schemaPath}/`
    const branches = new Map<string, ErrorObject[]>()
    for (const error of kept) {
      // The same schema may fail at several places: match the instance too.
      const inside =
        error.instancePath === union.instancePath || error.instancePath.startsWith(`${union.instancePath}/`)
      if (!inside || !error.schemaPath.startsWith(prefix)) continue
      const branch = error.schemaPath.slice(prefix.length).split('/')[0]!
      branches.set(branch, [...(branches.get(branch) ?? []), error])
    }
    const meant = [...branches.values()].filter(
      (branch) => !branch.every((error) => error.keyword === 'type' && error.instancePath === union.instancePath),
    )
    const best = meant.sort((a, b) => a.length - b.length)[0]
    const branchErrors = [...branches.values()].flat()
    kept = kept.filter((error) => !branchErrors.includes(error))
    if (best !== undefined) {
      kept = kept.filter((error) => error !== union)
      kept.push(...best)
    } else {
      const types = [...branches.values()]
        .flat()
        .map((error) => String((error.params as Record<string, unknown>)['type']))
      const index = kept.indexOf(union)
      kept[index] = { ...union, keyword: 'type', params: { type: [...new Set(types)].join(' or ') } }
    }
  }
  return kept
}

/** `/nodes/judge/with/a~1b` -> ['nodes', 'judge', 'with', 'a/b']. */
export function pointerToPath(pointer: string): string[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
}

/** `nodes.ocr.needs[0]`; the root is "the pipeline". */
export function displayPath(path: DocumentPath): string {
  if (path.length === 0) return 'the pipeline'
  return path
    .map((segment, index) =>
      /^\d+$/.test(String(segment)) && index > 0 ? `[${segment}]` : `${index === 0 ? '' : '.'}${segment}`,
    )
    .join('')
}

/** The generated schema lets patterns accept `${...}` (for editors); the message shows the real pattern. */
const INTERPOLATION_PREFIX = '^\\$\\{|(?:'

function withoutInterpolation(pattern: string): string {
  return pattern.startsWith(INTERPOLATION_PREFIX) && pattern.endsWith(')')
    ? pattern.slice(INTERPOLATION_PREFIX.length, -1)
    : pattern
}

function article(type: string): string {
  return type.includes(' or ') || type === 'null' ? type : `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`
}

function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  return typeof value
}
