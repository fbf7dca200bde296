import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openAdmissionLog } from './admission-log.js'

describe('openAdmissionLog', () => {
  it('keeps records across opens and drops a record cut short by a kill', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'admission-')), 'state', 'log.bin')
    const first = openAdmissionLog(path, 3, () => expect.unreachable())
    first.append(1, 2, 3)
    first.append(0xffffffff, 0, 7)
    first.close()
    appendFileSync(path, Buffer.from([9, 9, 9]))
    const seen: number[][] = []
    const second = openAdmissionLog(path, 3, (record) => seen.push([...record]))
    expect(seen).toEqual([
      [1, 2, 3],
      [0xffffffff, 0, 7],
    ])
    second.append(4, 5, 6)
    second.close()
    expect(readFileSync(path).length).toBe(36)
  })
})
