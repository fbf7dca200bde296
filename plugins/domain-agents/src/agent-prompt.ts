import { DataflowError, renderTemplate, type PreparedMedia } from '@dataflow/sdk'
import { RESERVED_VARS } from './config-schema.js'

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g

/** The placeholder names a template uses. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1]!))]
}

/** Fails at create time on placeholders that nothing fills (typos show up before the run). */
export function checkPlaceholders(template: string, vars: Readonly<Record<string, unknown>>, field: string): void {
  const known = new Set<string>([...RESERVED_VARS, ...Object.keys(vars)])
  const unknown = placeholdersOf(template).filter((name) => !known.has(name))
  if (unknown.length > 0) {
    throw new DataflowError(
      'DATAFLOW_CONFIG_INVALID',
      `${field}: no value for ${unknown.map((name) => `{{${name}}}`).join(', ')}`,
      {
        hint: `Add them under \`vars\`, or use the built-in placeholders: ${RESERVED_VARS.join(', ')}.`,
      },
    )
  }
}

/** Per-item placeholder values: the user's vars, then role, domain, modality and for video frames and duration. */
export function toTemplateValues(
  vars: Readonly<Record<string, string | number>>,
  role: string,
  domain: unknown,
  media: PreparedMedia,
): Record<string, string | number | undefined> {
  return {
    ...vars,
    role,
    modality: media.video ? 'video' : 'image',
    domain: typeof domain === 'string' ? domain : undefined,
    frames: media.video?.frames.length,
    duration: media.video ? Math.round(media.video.durationSeconds * 10) / 10 : undefined,
  }
}

/** Renders a template; a placeholder whose value this item lacks (e.g. `{{domain}}` without a router) is an item error. */
export function renderForItem(
  template: string,
  values: Record<string, string | number | undefined>,
  domainField: string,
): string {
  const missing = placeholdersOf(template).filter((name) => values[name] === undefined)
  if (missing.length > 0) {
    const where = missing
      .map((name) => (name === 'domain' ? `{{domain}} (read from "${domainField}")` : `{{${name}}}`))
      .join(', ')
    throw new DataflowError('DATAFLOW_INPUT_INVALID', `the prompt uses ${where}, which this item does not have`, {
      hint: '{{frames}} and {{duration}} exist for video only; {{domain}} needs the router upstream (or set `domainField`).',
    })
  }
  return renderTemplate(template, values)
}
