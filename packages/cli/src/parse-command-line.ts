import { parseArgs } from 'node:util'
import { DataflowError } from '@dataflow/sdk'
import type { FlagTable } from './flags.js'

type FlagValue<S> = S extends { type: 'boolean' }
  ? boolean | undefined
  : S extends { multiple: true }
    ? string[] | undefined
    : string | undefined
export type ParsedFlags<T extends FlagTable> = { [K in keyof T]: FlagValue<T[K]> }

/** Parses flags against a table; unknown flags are usage errors (exit 2). */
export function parseCommandLine<T extends FlagTable>(
  args: string[],
  table: T,
): { flags: ParsedFlags<T>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options: table as never, allowPositionals: true, strict: true })
    return { flags: values, positionals }
  } catch (error) {
    throw new DataflowError('DATAFLOW_USAGE', (error as Error).message, { hint: 'see --help' })
  }
}

export function toNumber(
  value: string | undefined,
  flag: string,
  range: { min?: number; max?: number; integer?: boolean } = {},
): number | undefined {
  if (value === undefined) return undefined
  const number = Number(value)
  const bad =
    !Number.isFinite(number) ||
    (range.integer && !Number.isInteger(number)) ||
    (range.min !== undefined && number < range.min) ||
    (range.max !== undefined && number > range.max)
  if (bad) {
    const bounds = [range.min === undefined ? '' : `>= ${range.min}`, range.max === undefined ? '' : `<= ${range.max}`]
      .filter(Boolean)
      .join(' and ')
    throw new DataflowError(
      'DATAFLOW_USAGE',
      `--${flag} must be ${range.integer ? 'an integer' : 'a number'}${bounds ? ` ${bounds}` : ''}, got "${value}"`,
    )
  }
  return number
}

/** `2/8` -> { index: 2, count: 8 }. */
export function toShard(value: string | undefined): { index: number; count: number } | undefined {
  if (value === undefined) return undefined
  const match = /^(\d+)\/(\d+)$/.exec(value)
  const index = Number(match?.[1])
  const count = Number(match?.[2])
  if (!match || count < 1 || index >= count) {
    throw new DataflowError('DATAFLOW_USAGE', `--shard must be i/n with 0 <= i < n, got "${value}"`, {
      hint: 'e.g. --shard 0/4 on the first of four machines',
    })
  }
  return { index, count }
}
