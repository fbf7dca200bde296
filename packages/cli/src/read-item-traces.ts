import { RunJournal, traceItem, type ItemTrace } from '@dataflow/core'

/** The traces of every item of a run directory's journal, in input order (at most `max`). */
export function readItemTraces(runDir: string, max = Number.POSITIVE_INFINITY): ItemTrace[] {
  const journal = RunJournal.openReadOnly(RunJournal.pathIn(runDir))
  try {
    const traces: ItemTrace[] = []
    const last = journal.maxSeq()
    for (let seq = 0; seq <= last && traces.length < max; seq++) {
      const state = journal.itemState(seq)
      if (state === undefined) continue
      const trace = traceItem(journal, state.id)
      if (trace !== undefined) traces.push(trace)
    }
    return traces
  } finally {
    journal.close()
  }
}
