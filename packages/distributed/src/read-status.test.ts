import { describe, expect, it } from 'vitest'
import { formatStatus, type QueueStatus } from './read-status.js'

const status: QueueStatus = {
  runId: 'abc123',
  runDir: '/shared/runs/x',
  cut: 10,
  cutDone: false,
  chunks: { waiting: 4, active: 2, done: 3, failed: 1 },
  items: { done: 6000, ok: 5900, rejected: 50, error: 50, total: 20000 },
  failed: [{ index: 7, jobId: 'abc123-00007', reason: 'journal is not a database', attempts: 3 }],
  workers: [
    { name: 'gpu-01', host: 'gpu-01', pid: 1, chunks: [8], items: 4000, itemsPerSecond: 12.5, beatAt: 1_000_000 },
  ],
}

describe('formatStatus', () => {
  it('shows chunk states, failed chunks with reasons, and each worker with its rate and heartbeat age', () => {
    const text = formatStatus(status, 1_004_000)
    expect(text).toContain('chunks  waiting 4  active 2  done 3  failed 1  (cut 10, input still being cut)')
    expect(text).toContain('items   done 6000/20000  ok 5900  rejected 50  errors 50')
    expect(text).toContain('failed chunk 7 after 3 attempts: journal is not a database')
    expect(text).toMatch(/gpu-01 +12\.5 items\/s +4000 items {2}chunks \[8\] {2}last heartbeat 4s ago/)
  })

  it('says when no run is on the queue', () => {
    expect(formatStatus({ ...status, runId: undefined })).toBe('no distributed run on this queue\n')
  })
})
