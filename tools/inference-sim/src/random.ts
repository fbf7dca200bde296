import { fnv1a32 } from './hash.js'

/** A small seeded PRNG (mulberry32): deterministic, fast, good enough for simulated answers. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number
  pick<T>(values: readonly T[]): T
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  return {
    next,
    int,
    pick: (values) => {
      if (values.length === 0) throw new RangeError('pick() needs at least one value')
      return values[int(0, values.length - 1)]!
    },
  }
}

/** A PRNG seeded from several parts (e.g. the `--seed`, a request hash and a choice index). */
export function randomFrom(...parts: readonly (string | number)[]): Random {
  return createRandom(fnv1a32(parts.join('\u0000')))
}
