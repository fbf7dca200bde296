import type { JsonSchema } from '../json-schema.js'

declare const valueType: unique symbol
declare const defaulted: unique symbol

/**
 * A JSON Schema that also carries, for TypeScript only, the type of the value it accepts after
 * defaults are applied (`T`) and whether it has a default (`D`). Build it with {@link field};
 * read the type with {@link ConfigOf}. At run time it is a plain JSON Schema object.
 */
export interface ConfigField<T = unknown, D extends boolean = boolean> extends JsonSchema {
  readonly [valueType]?: T
  readonly [defaulted]?: D
}

/** The value type of a field or config schema: `type RouterConfig = ConfigOf<typeof routerConfigSchema>`. */
export type ConfigOf<F> = F extends ConfigField<infer T, boolean> ? T : never

/** Keywords a field may carry besides the ones its builder sets; `default` is typed. */
export type FieldOptions<T> = Omit<JsonSchema, 'type' | 'default' | 'properties' | 'items' | 'enum'> & {
  default?: T
}

/** Fields of an object, by key. */
export type ConfigProperties = Record<string, ConfigField<unknown, boolean>>

type HasDefault<O> = O extends { default: unknown } ? true : false

type Simplify<T> = { [K in keyof T]: T[K] } & {}

type RequiredKeys<P extends ConfigProperties, R extends string> = {
  [K in keyof P]: K extends R ? K : P[K] extends ConfigField<unknown, true> ? K : never
}[keyof P]

/** Keys listed in `required` or with a default are always present after defaults; the others may be absent. */
export type ObjectOf<P extends ConfigProperties, R extends string> = Simplify<
  { [K in RequiredKeys<P, R>]: ConfigOf<P[K]> } & { [K in Exclude<keyof P, RequiredKeys<P, R>>]?: ConfigOf<P[K]> }
>

type Scalar<T> = <const O extends FieldOptions<T> = Record<never, never>>(options?: O) => ConfigField<T, HasDefault<O>>

const scalar =
  <T>(type: string): Scalar<T> =>
  (options) => ({ type, ...options })

/**
 * Builders of config schemas whose TypeScript type is inferred: the schema is the one source of
 * a node's config. Objects are closed (unknown keys are errors, so a typo such as `fallbak` is
 * caught); a key is optional in the type unless it is `required` or has a `default`.
 *
 * ```ts
 * export const configSchema = field.object({
 *   model: modelField('Vision model.', 'vlm'),
 *   keep: field.enum(['all', 'best'], { default: 'all', description: 'Which answers to keep.' }),
 * })
 * export type MyConfig = ConfigOf<typeof configSchema> // { model: string; keep: 'all' | 'best' }
 * ```
 */
export const field = {
  string: scalar<string>('string'),
  number: scalar<number>('number'),
  integer: scalar<number>('integer'),
  boolean: scalar<boolean>('boolean'),

  /** One of the listed values (strings, numbers or booleans). */
  enum<const V extends readonly (string | number | boolean)[], const O extends FieldOptions<V[number]>>(
    values: V,
    options?: O,
  ): ConfigField<V[number], HasDefault<O>> {
    return { enum: values, ...options }
  },

  /** A list of `items`. */
  array<I extends ConfigField, const O extends FieldOptions<ConfigOf<I>[]> = Record<never, never>>(
    items: I,
    options?: O,
  ): ConfigField<ConfigOf<I>[], HasDefault<O>> {
    return { type: 'array', items, ...options }
  },

  /** A closed mapping with the given fields. A `default` may leave out fields that have their own default. */
  object<
    const P extends ConfigProperties,
    const R extends readonly (keyof P & string)[] = [],
    const O extends FieldOptions<Partial<ObjectOf<P, R[number]>>> = Record<never, never>,
  >(properties: P, options?: O & { required?: R }): ConfigField<ObjectOf<P, R[number]>, HasDefault<O>> {
    return {
      type: 'object',
      properties,
      ...options,
      additionalProperties: false,
    }
  },

  /** A mapping with free keys whose values all match `values` (`{ label: key }`). */
  record<V extends ConfigField, const O extends FieldOptions<Record<string, ConfigOf<V>>> = Record<never, never>>(
    values: V,
    options?: O,
  ): ConfigField<Record<string, ConfigOf<V>>, HasDefault<O>> {
    return { type: 'object', additionalProperties: values, ...options }
  },

  /** Any of the given forms (`anyOf`). */
  anyOf<const B extends readonly ConfigField[], const O extends FieldOptions<ConfigOf<B[number]>>>(
    branches: B,
    options?: O,
  ): ConfigField<ConfigOf<B[number]>, HasDefault<O>> {
    return { anyOf: branches, ...options }
  },
}
