import { DataflowError } from '@dataflow/sdk'
import { VIDEO_DOMAIN, type DomainSpec } from './default-domains.js'

/**
 * Spellings of the CapFlow domains found in the paper, its repository and in model answers.
 * Matching ignores case, punctuation and the word "and" (see {@link toLabelKey}).
 */
export const BUILTIN_ALIASES: Readonly<Record<string, string>> = {
  Natural: 'natural',
  'Natural Image': 'natural',
  'Natural Images': 'natural',
  'Natural Scene': 'natural',
  'Chart & Math': 'chart-math',
  'Structure & Math': 'chart-math',
  'Math & Chart': 'chart-math',
  Chart: 'chart-math',
  Charts: 'chart-math',
  Structure: 'chart-math',
  Math: 'chart-math',
  Mathematics: 'chart-math',
  'Infographic & Document': 'document',
  'Document & Infographic': 'document',
  Document: 'document',
  Documents: 'document',
  Infographic: 'document',
  Infographics: 'document',
  'Medical & Bio-Imaging': 'medical',
  'Medical & Bio Imaging': 'medical',
  Medical: 'medical',
  'Bio-Imaging': 'medical',
  Biomedical: 'medical',
  'Medical Imaging': 'medical',
  'UI & Interaction': 'ui',
  UI: 'ui',
  GUI: 'ui',
  'User Interface': 'ui',
  Interaction: 'ui',
  'Code & Programming': 'code',
  Code: 'code',
  Programming: 'code',
  Coding: 'code',
  'Source Code': 'code',
  'Knowledge & Education': 'knowledge',
  Knowledge: 'knowledge',
  Education: 'knowledge',
  Educational: 'knowledge',
  'Synthetic / Aesthetic': 'synthetic',
  'Synthetic & Aesthetic': 'synthetic',
  Synthetic: 'synthetic',
  Aesthetic: 'synthetic',
  AIGC: 'synthetic',
  'Video & Temporal': 'video',
  Video: 'video',
  Videos: 'video',
  Temporal: 'video',
}

/** Lower case, the word "and" dropped, everything but letters and digits removed: "Structure & Math" -> "structuremath". */
export function toLabelKey(label: string): string {
  return label
    .toLowerCase()
    .replace(/\band\b/g, ' ')
    .replace(/[^a-z0-9]+/g, '')
}

/** A label found inside free text. */
export interface DomainMention {
  key: string
  index: number
  length: number
}

/** Maps labels (keys, names, aliases) to the accepted domain keys. */
export interface DomainResolver {
  /** Accepted keys: the configured domains and `video`. */
  readonly keys: readonly string[]
  /** The domain key a whole label stands for, or undefined. */
  toDomainKey(label: string): string | undefined
  /** Every label occurring in free text (word-bounded, any case and punctuation). */
  findMentions(text: string): DomainMention[]
}

/**
 * Builds the resolver from the configured domains, the built-in alias table (entries whose
 * domain is configured) and the user's aliases, which win and must name an accepted key.
 */
export function createDomainResolver(
  domains: readonly DomainSpec[],
  userAliases: Readonly<Record<string, string>>,
): DomainResolver {
  const keys = [...new Set([...domains.map((domain) => domain.key), VIDEO_DOMAIN])]
  const labels = new Map<string, { label: string; key: string }>()
  const add = (label: string, key: string) => {
    const labelKey = toLabelKey(label)
    if (labelKey !== '') labels.set(labelKey, { label, key })
  }
  for (const [label, key] of Object.entries(BUILTIN_ALIASES)) if (keys.includes(key)) add(label, key)
  for (const domain of domains) {
    add(domain.key, domain.key)
    add(domain.name, domain.key)
  }
  for (const [label, key] of Object.entries(userAliases)) {
    if (!keys.includes(key)) {
      throw new DataflowError(
        'DATAFLOW_CONFIG_INVALID',
        `aliases: "${label}" points to "${key}", which is not a domain key`,
        {
          hint: `Use one of: ${keys.join(', ')}.`,
        },
      )
    }
    add(label, key)
  }
  const patterns = [...labels.values()].map(({ label, key }) => ({ key, pattern: toMentionPattern(label) }))
  return {
    keys,
    toDomainKey: (label) => labels.get(toLabelKey(label))?.key,
    findMentions(text) {
      const lower = text.toLowerCase()
      const mentions: DomainMention[] = []
      for (const { key, pattern } of patterns) {
        for (const match of lower.matchAll(pattern)) mentions.push({ key, index: match.index, length: match[0].length })
      }
      return mentions.sort((a, b) => a.index - b.index || b.length - a.length)
    },
  }
}

/** "Structure & Math" -> /(?<![a-z0-9])structure(?:SEP)math(?![a-z0-9])/g where SEP allows spaces, punctuation or "and". */
function toMentionPattern(label: string): RegExp {
  const words = label
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '' && word !== 'and')
  const separator = '(?:[^a-z0-9]+and[^a-z0-9]+|[^a-z0-9]*)'
  return new RegExp(`(?<![a-z0-9])${words.join(separator)}(?![a-z0-9])`, 'g')
}
