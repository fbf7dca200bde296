import { escapeHtml } from './escape-html.js'

export const COLORS = {
  ok: '#2e7d32',
  rejected: '#ef6c00',
  error: '#c62828',
  interrupted: '#757575',
  skipped: '#90a4ae',
  series: ['#1565c0', '#c2185b', '#00897b', '#6a1b9a', '#f9a825', '#5d4037', '#283593', '#558b2f'],
}

export interface Series {
  name: string
  color: string
  /** [x, y] pairs, x ascending. */
  points: Array<[number, number]>
  /** Dashed line (e.g. a limit). */
  dashed?: boolean
}

/** Points kept per series: a chart never carries more, whatever the run's length. */
export const MAX_CHART_POINTS = 400

/** Keeps at most `max` points: the maximum of each bucket of consecutive points (peaks stay visible). */
export function downsample(points: Array<[number, number]>, max = MAX_CHART_POINTS): Array<[number, number]> {
  if (points.length <= max) return points
  const size = points.length / max
  const kept: Array<[number, number]> = []
  for (let bucket = 0; bucket < max; bucket++) {
    const slice = points.slice(Math.floor(bucket * size), Math.floor((bucket + 1) * size))
    if (slice.length === 0) continue
    let best = slice[0]!
    for (const point of slice) if (point[1] > best[1]) best = point
    kept.push([slice[Math.floor(slice.length / 2)]![0], best[1]])
  }
  return kept
}

const round = (value: number) => Math.round(value * 10) / 10

/** Round tick values covering [0, max]. */
function ticks(max: number, count = 4): number[] {
  if (max <= 0) return [0]
  const step0 = max / count
  const magnitude = 10 ** Math.floor(Math.log10(step0))
  const step = [1, 2, 2.5, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= step0)!
  const top = Math.ceil(max / step - 1e-9) * step
  const values: number[] = []
  for (let value = 0; value <= top + step * 0.001; value += step) values.push(Math.round(value * 1e6) / 1e6)
  return values
}

export function formatNumber(value: number): string {
  if (Math.abs(value) >= 1e6) return `${round(value / 1e6)}M`
  if (Math.abs(value) >= 1e4) return `${round(value / 1e3)}k`
  return String(Math.round(value * 100) / 100)
}

/** A line chart with axes, ticks and a legend, as inline SVG. */
export function lineChart(options: {
  title: string
  series: Series[]
  xLabel: string
  yLabel: string
  width?: number
  height?: number
}): string {
  const width = options.width ?? 640
  const height = options.height ?? 220
  const left = 52
  const right = 12
  const top = 12
  const bottom = 34
  const series = options.series.map((line) => ({ ...line, points: downsample(line.points) }))
  const all = series.flatMap((line) => line.points)
  const xMin = Math.min(...all.map(([x]) => x), 0)
  const xMax = Math.max(...all.map(([x]) => x), xMin + 1)
  const yTicks = ticks(Math.max(...all.map(([, y]) => y), 1))
  const yMax = yTicks.at(-1)!
  const x = (value: number) => left + ((value - xMin) / (xMax - xMin)) * (width - left - right)
  const y = (value: number) => top + (1 - value / yMax) * (height - top - bottom)
  const xTicks = ticks(xMax - xMin).map((value) => value + xMin)
  const parts = [
    `<svg class="chart" role="img" aria-label="${escapeHtml(options.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
    ...yTicks.map(
      (value) =>
        `<line x1="${left}" x2="${width - right}" y1="${round(y(value))}" y2="${round(y(value))}" class="grid"/><text x="${left - 4}" y="${round(y(value)) + 4}" text-anchor="end">${formatNumber(value)}</text>`,
    ),
    ...xTicks
      .filter((value) => value <= xMax)
      .map(
        (value) =>
          `<text x="${round(x(value))}" y="${height - bottom + 14}" text-anchor="middle">${formatNumber(value)}</text>`,
      ),
    `<text x="${(left + width - right) / 2}" y="${height - 4}" text-anchor="middle" class="axis">${escapeHtml(options.xLabel)}</text>`,
    `<text x="12" y="${top + (height - top - bottom) / 2}" text-anchor="middle" class="axis" transform="rotate(-90 12 ${top + (height - top - bottom) / 2})">${escapeHtml(options.yLabel)}</text>`,
    ...series.map(
      (line) =>
        `<polyline fill="none" stroke="${line.color}" stroke-width="1.6"${line.dashed ? ' stroke-dasharray="5 3"' : ''} points="${line.points.map(([px, py]) => `${round(x(px))},${round(y(py))}`).join(' ')}"><title>${escapeHtml(line.name)}</title></polyline>`,
    ),
    '</svg>',
  ]
  const legend = series
    .map((line) => `<span class="key"><i style="background:${line.color}"></i>${escapeHtml(line.name)}</span>`)
    .join('')
  return `<figure><figcaption>${escapeHtml(options.title)}</figcaption>${parts.join('')}<div class="legend">${legend}</div></figure>`
}

export interface BarSegment {
  value: number
  color: string
  label: string
}

/** Horizontal stacked bars, one row per label, values printed at the end of each row. */
export function barChart(options: {
  title: string
  rows: Array<{ label: string; segments: BarSegment[] }>
  width?: number
  labelWidth?: number
}): string {
  const width = options.width ?? 640
  const labelWidth = options.labelWidth ?? 190
  const rowHeight = 20
  const height = options.rows.length * rowHeight + 8
  const max = Math.max(1, ...options.rows.map((row) => row.segments.reduce((sum, segment) => sum + segment.value, 0)))
  const scale = (width - labelWidth - 70) / max
  const rows = options.rows.map((row, index) => {
    const top = 4 + index * rowHeight
    let offset = labelWidth
    const bars = row.segments
      .filter((segment) => segment.value > 0)
      .map((segment) => {
        const barWidth = Math.max(1, segment.value * scale)
        const rect = `<rect x="${round(offset)}" y="${top + 3}" width="${round(barWidth)}" height="${rowHeight - 6}" fill="${segment.color}"><title>${escapeHtml(`${row.label}: ${segment.label} ${segment.value}`)}</title></rect>`
        offset += barWidth
        return rect
      })
    const total = row.segments.reduce((sum, segment) => sum + segment.value, 0)
    return `<text x="${labelWidth - 6}" y="${top + rowHeight / 2 + 4}" text-anchor="end">${escapeHtml(row.label)}</text>${bars.join('')}<text x="${round(offset) + 4}" y="${top + rowHeight / 2 + 4}">${formatNumber(total)}</text>`
  })
  const keys = new Map<string, string>()
  for (const row of options.rows) for (const segment of row.segments) keys.set(segment.label, segment.color)
  const legend =
    keys.size > 1
      ? `<div class="legend">${[...keys].map(([label, color]) => `<span class="key"><i style="background:${color}"></i>${escapeHtml(label)}</span>`).join('')}</div>`
      : ''
  return `<figure><figcaption>${escapeHtml(options.title)}</figcaption><svg class="chart" role="img" aria-label="${escapeHtml(options.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${rows.join('')}</svg>${legend}</figure>`
}

/** Vertical bars over labelled bins (a histogram). */
export function columnChart(options: {
  title: string
  bins: Array<{ label: string; value: number }>
  color?: string
  width?: number
  height?: number
}): string {
  const width = options.width ?? 300
  const height = options.height ?? 120
  const bottom = 30
  const max = Math.max(1, ...options.bins.map((bin) => bin.value))
  const step = (width - 8) / Math.max(1, options.bins.length)
  const bars = options.bins.map((bin, index) => {
    const barHeight = (bin.value / max) * (height - bottom - 14)
    const x = 4 + index * step
    return `<rect x="${round(x + 1)}" y="${round(height - bottom - barHeight)}" width="${round(step - 2)}" height="${round(barHeight)}" fill="${options.color ?? COLORS.series[0]}"><title>${escapeHtml(`${bin.label}: ${bin.value}`)}</title></rect>${bin.value > 0 ? `<text x="${round(x + step / 2)}" y="${round(height - bottom - barHeight - 2)}" text-anchor="middle" class="small">${formatNumber(bin.value)}</text>` : ''}<text x="${round(x + step / 2)}" y="${height - bottom + 12}" text-anchor="middle" class="small" transform="rotate(30 ${round(x + step / 2)} ${height - bottom + 12})">${escapeHtml(bin.label)}</text>`
  })
  return `<figure class="small-multiple"><figcaption>${escapeHtml(options.title)}</figcaption><svg class="chart" role="img" aria-label="${escapeHtml(options.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${bars.join('')}</svg></figure>`
}
