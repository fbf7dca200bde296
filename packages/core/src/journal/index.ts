export { RunJournal } from './run-journal.js'
export type { ItemRow, JournalMeta, JournalNodeStatus, NodeResultRow } from './journal-rows.js'
export { openDurableSession, type DurableOptions } from './durable-session.js'
export { formatResumePlan, type ResumePlan } from './resume-plan.js'
export type { RerunSelection } from './select-rerun.js'
export {
  inspectRun,
  traceItem,
  type ErrorGroup,
  type ItemTrace,
  type NodeSummary,
  type NodeTrace,
  type RunInspection,
} from './inspect-run.js'
export { withDependents } from './select-rerun.js'
