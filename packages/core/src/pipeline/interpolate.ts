/** The environment variables `${VAR}` reads from. */
export type Environment = Readonly<Record<string, string | undefined>>

export type InterpolationResult =
  | { ok: true; value: string; /** True when the text contained `${...}` or `$${`. */ changed: boolean }
  | { ok: false; problems: InterpolationProblem[] }

export interface InterpolationProblem {
  kind: 'missing' | 'syntax'
  /** 0-based offset of the `${` in the text. */
  offset: number
  /** The variable name, for `missing`. */
  name?: string
  message: string
}

const REFERENCE = /\$\$\{|\$\{([^}]*)\}?/g
const BODY = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s

/**
 * Replaces `${VAR}` with the variable's value and `${VAR:-default}` with the value, or the
 * default when the variable is unset or empty. `$${` is a literal `${`.
 */
export function interpolate(text: string, env: Environment): InterpolationResult {
  if (!text.includes('${')) return { ok: true, value: text, changed: false }
  const problems: InterpolationProblem[] = []
  let changed = false
  const value = text.replace(REFERENCE, (match, body: string | undefined, offset: number) => {
    changed = true
    if (match === '$${') return '${'
    if (!match.endsWith('}')) {
      problems.push({ kind: 'syntax', offset, message: `"${match}" is not closed with "}"` })
      return match
    }
    const parsed = BODY.exec(body ?? '')
    if (parsed === null) {
      problems.push({
        kind: 'syntax',
        offset,
        message: `"${match}" is not a valid reference: write \${NAME} or \${NAME:-default}`,
      })
      return match
    }
    const name = parsed[1]!
    const fallback = parsed[2]
    const found = Object.hasOwn(env, name) ? env[name] : undefined
    if (fallback !== undefined) return found === undefined || found === '' ? fallback : found
    if (found === undefined) {
      problems.push({ kind: 'missing', offset, name, message: `environment variable ${name} is not set` })
      return match
    }
    return found
  })
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value, changed }
}

const NUMBER = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/

/**
 * Reads an interpolated plain (unquoted) scalar the way YAML would have read the same text
 * written in place: `true`/`false`, `null`/`~` and numbers get their type; anything else stays a string.
 */
export function toPlainScalar(text: string): string | number | boolean | null {
  if (/^(?:true|True|TRUE)$/.test(text)) return true
  if (/^(?:false|False|FALSE)$/.test(text)) return false
  if (/^(?:null|Null|NULL|~)$/.test(text)) return null
  if (NUMBER.test(text)) return Number(text)
  return text
}
