import type { UpstreamResult } from '@dataflow/sdk'

/** One agent's contribution to the summary. */
export interface AgentNote {
  role: string
  text: string
  truncated: boolean
}

/** The agents among a node's needs: notes of those that finished, ids of those that failed. */
export interface CollectedNotes {
  notes: AgentNote[]
  /** Node ids of agents that failed or were cancelled. */
  failed: string[]
}

/**
 * Done needs whose output has a string `role` and `text` are notes; failed (or cancelled) needs are
 * listed; skipped needs and other done needs (router, media) are ignored.
 */
export function collectNotes(needs: readonly UpstreamResult[]): CollectedNotes {
  const notes: AgentNote[] = []
  const failed: string[] = []
  for (const need of needs) {
    if (need.status === 'failed' || need.status === 'cancelled') failed.push(need.node)
    if (need.status !== 'done' || typeof need.output !== 'object' || need.output === null) continue
    const { role, text, truncated } = need.output as Record<string, unknown>
    if (typeof role === 'string' && typeof text === 'string' && text.trim() !== '')
      notes.push({ role, text: text.trim(), truncated: truncated === true })
  }
  return { notes, failed }
}

/** What a role's note is worth to the summary: observations and transcriptions are the evidence. */
export function kindOf(role: string): 'overview' | 'observation' | 'transcription' | 'interpretation' | 'note' {
  if (role.endsWith('-guideline')) return 'overview'
  if (role.endsWith('-perception')) return 'observation'
  if (role === 'ocr' || role === 'coder') return 'transcription'
  if (role.endsWith('-reasoning')) return 'interpretation'
  return 'note'
}

/** The `{{notes}}` block: one headed section per note, in the order of `needs`. */
export function formatNotes(notes: readonly AgentNote[]): string {
  return notes
    .map((note, index) => {
      const cut = note.truncated ? ', cut off at its length limit' : ''
      return `### Note ${index + 1}: ${note.role} (${kindOf(note.role)}${cut})\n${note.text}`
    })
    .join('\n\n')
}

/** The `{{missing}}` line: which analyses failed, so the model does not fill the gap by guessing. */
export function formatMissing(failed: readonly string[]): string {
  return failed.length === 0
    ? ''
    : `These analyses failed and are missing: ${failed.join(', ')}. Do not guess what they would have said.`
}
