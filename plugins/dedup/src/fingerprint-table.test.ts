import { describe, expect, it } from 'vitest'
import { fingerprintOf } from './fingerprint.js'
import { FingerprintTable } from './fingerprint-table.js'

describe('FingerprintTable', () => {
  it('finds every key it holds after growing, and none it does not', () => {
    const table = new FingerprintTable(4)
    const keys = Array.from({ length: 50_000 }, (_, index) => fingerprintOf([`key ${index}`], false))
    keys.forEach((key, index) => table.add(key, index))
    expect(table.size).toBe(50_000)
    for (let index = 0; index < keys.length; index += 997) expect(table.get(keys[index]!)).toBe(index)
    expect(table.get(fingerprintOf(['another key'], false))).toBe(-1)
    // 12 bytes per slot at a load between 0.375 and 0.75: at most 32 bytes per key.
    expect(table.bytes / table.size).toBeLessThanOrEqual(32)
  })
})
