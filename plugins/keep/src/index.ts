import { compileItemTemplate, defineNode, reject, type ItemTemplate, type NodeInput } from '@dataflow/sdk'
import { keepConfigSchema, type KeepConfig } from './config-schema.js'

export type { KeepConfig } from './config-schema.js'

/** Longest text of a value quoted in a reason or in the rejection details. */
const MAX_VALUE_CHARS = 200

function quoted(value: unknown): unknown {
  if (typeof value === 'string' && value.length > MAX_VALUE_CHARS) return `${value.slice(0, MAX_VALUE_CHARS)}...`
  return value === undefined ? null : value
}

/** The values the rule read, by path (long strings cut, absent values null). */
function valuesRead(paths: readonly string[], input: NodeInput): Record<string, unknown> {
  return Object.fromEntries(paths.map((path) => [path, quoted(input.get(path))]))
}

/**
 * Keeps or rejects items by an expression in the engine's `when` language. The engine compiles
 * the expression (`context.compileExpression`), so it means exactly what a `when` would; a
 * rejected item says which rule held and what it read.
 */
export default defineNode<KeepConfig, { kept: true }>({
  specVersion: 1,
  name: '@dataflow/plugin-keep',
  version: '0.1.0',
  description: 'Keeps or rejects an item by an expression over its fields and upstream outputs.',
  config: keepConfigSchema,
  writes: {
    type: 'object',
    properties: { kept: { type: 'boolean', const: true } },
    required: ['kept'],
    additionalProperties: false,
  },
  create(config, context) {
    const keepWhen = config.keepIf !== undefined
    const ruleText = config.keepIf ?? config.rejectIf!
    const rule = context.compileExpression(ruleText)
    const label = `${keepWhen ? 'keepIf' : 'rejectIf'} ${JSON.stringify(ruleText)} ${keepWhen ? 'did not hold' : 'held'}`
    const reason: ItemTemplate | undefined =
      config.reason === undefined ? undefined : compileItemTemplate(config.reason, 'reason')

    return {
      process(input) {
        if (rule.test(input) === keepWhen) return { kept: true }
        const values = valuesRead(rule.paths, input)
        const read = Object.entries(values)
          .map(([path, value]) => `${path} = ${JSON.stringify(value)}`)
          .join(', ')
        const fallback = read === '' ? label : `${label} (${read})`
        let text = fallback
        if (reason !== undefined) {
          try {
            text = reason.render(input)
          } catch {
            // A reason placeholder without a value must not turn a rejection into an error.
            text = fallback
          }
        }
        return reject(text, { details: { rule: `${keepWhen ? 'keepIf' : 'rejectIf'}: ${ruleText}`, values } })
      },
    }
  },
})
