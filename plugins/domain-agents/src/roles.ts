/** The functional agents of CapFlow (paper, Table 1); each has its own prompt file, `prompts/<role>.md`. */
export const ROLES = [
  'visual-guideline',
  'video-guideline',
  'natural-perception',
  'structure-perception',
  'infographic-perception',
  'ui-perception',
  'texture-perception',
  'video-perception',
  'general-reasoning',
  'medical-reasoning',
  'knowledge-reasoning',
  'video-reasoning',
  'ocr',
  'coder',
] as const

export type Role = (typeof ROLES)[number]

/** Roles whose prompts speak of frames; they need video media. */
export const VIDEO_ROLES: ReadonlySet<Role> = new Set(['video-guideline', 'video-perception', 'video-reasoning'])

/** Roles whose answers are long transcriptions get a larger default answer budget. */
export function defaultMaxTokens(role: Role | undefined): number {
  return role === 'ocr' || role === 'coder' ? 4096 : 2048
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}
