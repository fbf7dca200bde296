export {
  RunJournal,
  type ItemRow,
  type JournalMeta,
  type JournalNodeStatus,
  type NodeResultRow,
} from './run-journal.js'
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
