import { randomBytes } from 'node:crypto'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { DataflowError, type IoContext, type SinkInstance, type SinkRecord } from '@dataflow/sdk'
import { toAccuracyReport, type ScoredItem, type Verdict } from './accuracy-report.js'
import type { AccuracySinkConfig } from './config.js'
import { formatTable } from './format-table.js'
import { createPathReader, toRecordScope } from './to-record-scope.js'

/**
 * Scores every record it receives and writes the accuracy report on flush and close. Records
 * are kept by id (a few strings each), so an item delivered twice counts once, with its last verdict.
 */
export function createAccuracySink(config: AccuracySinkConfig, context: IoContext): SinkInstance {
  const path = context.resolveOutput(config.path)
  const read = {
    benchmark: createPathReader('benchmark', config.benchmark),
    category: createPathReader('category', config.category),
    correct: createPathReader('correct', config.correct),
    choice: createPathReader('choice', config.choice),
  }
  const scored = new Map<string, ScoredItem>()
  let anonymous = 0
  let interrupted = 0
  let closed = false

  const save = async () => {
    const report = toAccuracyReport(scored.values())
    await writeAtomically(path, `${JSON.stringify(report, null, 2)}\n`)
    return report
  }

  return {
    write(record: SinkRecord) {
      if (closed)
        throw new DataflowError('DATAFLOW_INTERNAL', `write to the accuracy sink (${path}) after it was closed`)
      const scope = toRecordScope(record)
      const outcome = scope['outcome']
      // An interrupted item has no verdict yet: a resumed run finishes it.
      if (outcome === 'interrupted') {
        interrupted++
        return
      }
      const id = typeof scope['id'] === 'string' ? scope['id'] : undefined
      scored.set(id ?? `#${anonymous++}`, {
        benchmark: toName(read.benchmark(scope)) ?? id?.split('/')[0] ?? 'unknown',
        category: toName(read.category(scope)) ?? 'uncategorized',
        verdict: toVerdict(outcome, read.correct(scope), read.choice(scope)),
      })
    },
    async flush() {
      if (!closed) await save()
    },
    async close() {
      if (closed) return
      closed = true
      const report = await save()
      context.logger.info(
        { path, overall: report.overall, ...(interrupted > 0 ? { interrupted } : {}) },
        `accuracy\n${formatTable(report)}`,
      )
    },
  }
}

function toVerdict(outcome: unknown, correct: unknown, choice: unknown): Verdict {
  if (outcome === 'error' || outcome === 'rejected' || typeof correct !== 'boolean') return 'error'
  if (correct) return 'correct'
  return choice === null || choice === undefined ? 'unanswered' : 'wrong'
}

function toName(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}

async function writeAtomically(path: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true })
    const partial = `${path}.${randomBytes(6).toString('hex')}.partial`
    await writeFile(partial, text)
    await rename(partial, path)
  } catch (error) {
    throw new DataflowError(
      'DATAFLOW_CONFIG_INVALID',
      `cannot write the accuracy report to ${path}: ${(error as Error).message}`,
      {
        hint: 'Set the sink `path` to a file in a writable folder.',
        details: { path },
        cause: error,
      },
    )
  }
}
