import type { ConfigField } from './config/config-field.js'

/** A JSON Schema (draft 2020-12 subset used by dataflow); kept loose on purpose. */
export interface JsonSchema {
  type?: string | string[]
  description?: string
  default?: unknown
  enum?: readonly unknown[]
  const?: unknown
  properties?: Record<string, JsonSchema>
  required?: readonly string[]
  additionalProperties?: boolean | JsonSchema
  items?: JsonSchema
  minItems?: number
  maxItems?: number
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  minLength?: number
  pattern?: string
  format?: string
  oneOf?: readonly JsonSchema[]
  anyOf?: readonly JsonSchema[]
  $ref?: string
  $defs?: Record<string, JsonSchema>
  examples?: readonly unknown[]
  /** Marks a string that is a path into the item (`item.image`, `summary.caption`); checked by `dataflow validate`. */
  'x-dataflow-path'?: true
  /** Marks a string that names a model of the pipeline's `models:`. */
  'x-dataflow-model'?: true
  /** Marks a string that is an output file path: a relative one must stay inside the run directory. */
  'x-dataflow-output'?: true
  /** Marks a string that is an expression in the `when` language; checked by `dataflow validate`. */
  'x-dataflow-expression'?: true
  /** Marks a prompt template (inline or a prompt file) whose `{{path}}` placeholders read the item scope; checked by `dataflow validate`. */
  'x-dataflow-template'?: true
  [keyword: string]: unknown
}

/**
 * A config field whose value is a path into the item scope, e.g. `summary.caption`.
 * The loader checks the path against what upstream nodes declare they write.
 */
export function pathField<const D extends string | undefined = undefined>(
  description: string,
  defaultPath?: D,
): ConfigField<string, D extends string ? true : false> {
  return {
    type: 'string',
    description,
    'x-dataflow-path': true,
    ...(defaultPath === undefined ? {} : { default: defaultPath }),
  }
}

/**
 * A config field whose value names a model declared under the pipeline's `models:`.
 * The loader reports unknown names with their position.
 */
export function modelField<const D extends string | undefined = undefined>(
  description: string,
  defaultModel?: D,
): ConfigField<string, D extends string ? true : false> {
  return {
    type: 'string',
    description,
    'x-dataflow-model': true,
    ...(defaultModel === undefined ? {} : { default: defaultModel }),
  }
}

/**
 * A config field whose value is an expression in the `when` language, e.g.
 * `classify.label != 'spam'`. The loader parses it and checks the paths it reads; the node
 * compiles it with `context.compileExpression`.
 */
export function expressionField<const D extends string | undefined = undefined>(
  description: string,
  defaultExpression?: D,
): ConfigField<string, D extends string ? true : false> {
  return {
    type: 'string',
    minLength: 1,
    description,
    'x-dataflow-expression': true,
    ...(defaultExpression === undefined ? {} : { default: defaultExpression }),
  }
}

/**
 * A config field holding a prompt template whose `{{path}}` placeholders read the item scope
 * (`{{item.text}}`, `{{route.domain}}`): inline text, or a one-line .md/.txt file path. The
 * loader checks every placeholder against what upstream nodes write; render it with
 * {@link compileItemTemplate}.
 */
export function templateField(description: string): ConfigField<string, false> {
  return { type: 'string', minLength: 1, description, 'x-dataflow-template': true }
}

/**
 * A config field whose value is a file the plugin writes: a relative path lands in the run
 * directory and must stay inside it (`dataflow validate` and `run` refuse `../../etc/x` with its
 * position); an absolute path is the user's explicit choice.
 */
export function outputPathField<const D extends string | undefined = undefined>(
  description: string,
  defaultPath?: D,
): ConfigField<string, D extends string ? true : false> {
  return {
    type: 'string',
    minLength: 1,
    description,
    'x-dataflow-output': true,
    ...(defaultPath === undefined ? {} : { default: defaultPath }),
  }
}
