import type { TelemetryDigest } from '../telemetry/telemetry-digest.js'
import { escapeHtml } from './escape-html.js'
import { COLORS } from './svg-charts.js'

const BOX_WIDTH = 190
const BOX_HEIGHT = 50
const COLUMN_GAP = 50
const ROW_GAP = 8

/** Mean latency of a node from its buckets' sum, in ms. */
export function meanLatencyMs(node: TelemetryDigest['nodes'][string]): number {
  const calls = node.buckets.reduce((sum, count) => sum + count, 0)
  return calls === 0 ? 0 : node.sumMs / calls
}

/** The upper bound of the bucket holding quantile q (an upper estimate), in ms; Infinity above the last bound. */
export function bucketQuantileMs(node: TelemetryDigest['nodes'][string], bounds: readonly number[], q: number): number {
  const calls = node.buckets.reduce((sum, count) => sum + count, 0)
  if (calls === 0) return 0
  let seen = 0
  for (let index = 0; index < node.buckets.length; index++) {
    seen += node.buckets[index]!
    if (seen >= q * calls) return bounds[index] ?? Infinity
  }
  return Infinity
}

export const formatMs = (ms: number) =>
  !Number.isFinite(ms) ? '>300 s' : ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms)} ms`

/** The pipeline DAG as SVG: a column per depth, each node with its counts and latency. */
export function graphSvg(digest: TelemetryDigest): string {
  const columns = new Map<number, string[]>()
  for (const node of digest.graph) columns.set(node.depth, [...(columns.get(node.depth) ?? []), node.id])
  const tallest = Math.max(1, ...[...columns.values()].map((ids) => ids.length))
  const height = tallest * (BOX_HEIGHT + ROW_GAP) + ROW_GAP
  const width = columns.size * (BOX_WIDTH + COLUMN_GAP) + 10
  const position = new Map<string, { x: number; y: number }>()
  for (const [depth, ids] of columns) {
    const offset = (height - ids.length * (BOX_HEIGHT + ROW_GAP)) / 2
    ids.forEach((id, row) =>
      position.set(id, {
        x: 5 + depth * (BOX_WIDTH + COLUMN_GAP),
        y: offset + row * (BOX_HEIGHT + ROW_GAP) + ROW_GAP / 2,
      }),
    )
  }
  const edges = digest.graph.flatMap((node) =>
    node.needs.map((need) => {
      const from = position.get(need)!
      const to = position.get(node.id)!
      const x1 = from.x + BOX_WIDTH
      const y1 = from.y + BOX_HEIGHT / 2
      const x2 = to.x
      const y2 = to.y + BOX_HEIGHT / 2
      const middle = (x1 + x2) / 2
      return `<path d="M${x1},${y1} C${middle},${y1} ${middle},${y2} ${x2},${y2}" class="edge"/>`
    }),
  )
  const boxes = digest.graph.map((node) => {
    const { x, y } = position.get(node.id)!
    const stats = digest.nodes[node.id]
    const counts = stats?.counts
    const ran = counts ? counts.done + counts.failed + counts.rejected + counts.error : 0
    const border =
      counts && counts.error > 0 ? COLORS.error : counts && counts.rejected > 0 ? COLORS.rejected : '#546e7a'
    const line2 = counts
      ? `ok ${counts.done + counts.reused} · skip ${counts.skipped} · rej ${counts.rejected} · fail ${counts.failed + counts.error}`
      : ''
    const line3 =
      stats && ran > 0
        ? `mean ${formatMs(meanLatencyMs(stats))} · p95 ≤ ${formatMs(bucketQuantileMs(stats, digest.latencyBoundsMs, 0.95))}`
        : 'no calls'
    return `<g class="node" data-node="${escapeHtml(node.id)}"><rect x="${x}" y="${y}" width="${BOX_WIDTH}" height="${BOX_HEIGHT}" rx="6" stroke="${border}"/><title>${escapeHtml(`${node.id} (${node.uses})`)}</title><text x="${x + 8}" y="${y + 15}" class="name">${escapeHtml(node.id)}</text><text x="${x + 8}" y="${y + 30}" class="small">${escapeHtml(line2)}</text><text x="${x + 8}" y="${y + 43}" class="small">${escapeHtml(line3)}</text></g>`
  })
  return `<svg class="graph" role="img" aria-label="pipeline graph" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${edges.join('')}${boxes.join('')}</svg>`
}
