import type { ResolvedImagePolicy } from './image-policy.js'
import { inspectSvg } from './inspect-svg.js'
import { mediaInvalid, svgEntitiesRefused } from './media-errors.js'

/**
 * Lets an SVG through only when the policy opts in (`svg: rasterize`) and the document can be
 * rendered from itself alone: no XML entities, no external DTD, no references to files or URLs.
 */
export function checkSvg(bytes: Uint8Array, path: string, policy: ResolvedImagePolicy): void {
  const findings = inspectSvg(bytes)
  if (findings?.declaresEntities) throw svgEntitiesRefused(path)
  if (policy.svg === 'refuse') {
    throw mediaInvalid(
      'image',
      path,
      'the file is an SVG drawing, and SVG is refused by default (rendering untrusted SVG runs an XML and CSS ' +
        'renderer on it); set svg: rasterize to render SVG files that have no XML entities or external references',
      { format: 'svg', svg: 'refused' },
    )
  }
  if (!findings) {
    throw mediaInvalid(
      'image',
      path,
      'the file is a compressed SVG (SVGZ), which cannot be checked for entities and external references; decompress it first',
      { format: 'svg', svg: 'compressed' },
    )
  }
  if (findings.externalReferences.length > 0) {
    const shown = findings.externalReferences.slice(0, 3).map((target) => JSON.stringify(target))
    throw mediaInvalid(
      'image',
      path,
      `the SVG refers to outside content (${shown.join(', ')}${findings.externalReferences.length > 3 ? ', ...' : ''}); ` +
        'only #fragment and data: references are rendered',
      { format: 'svg', svg: 'external-references', externalReferences: findings.externalReferences },
    )
  }
}
