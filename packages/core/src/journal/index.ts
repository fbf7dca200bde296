export { RunJournal, type ItemRow, type JournalMeta, type JournalNodeStatus, type NodeResultRow } from './run-journal.js'
export { formatResumePlan, type ResumePlan } from './resume-plan.js'
export type { RerunSelection } from './select-rerun.js'
