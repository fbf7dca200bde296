import { escapeXml } from '../random.mjs'

const FONT = 'font-family="DejaVu Sans"'
const open = (width, height, background = '#ffffff') =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="${width}" height="${height}" fill="${background}"/>`
const text = (x, y, value, { size = 14, anchor = 'start', weight = 'normal', color = '#333', extra = '' } = {}) =>
  `<text x="${x}" y="${y}" ${FONT} font-size="${size}" font-weight="${weight}" fill="${color}" text-anchor="${anchor}" ${extra}>${escapeXml(value)}</text>`

/** Quarterly revenue of two product lines, grouped bars with values on top. */
export const BAR_DATA = {
  quarters: ['Q1', 'Q2', 'Q3', 'Q4'],
  hardware: [2.4, 3.1, 2.8, 4.2],
  services: [1.2, 1.6, 2.3, 2.9],
}

export function barChart() {
  const width = 1000
  const height = 700
  const plot = { x: 110, y: 110, w: 820, h: 480 }
  const max = 5
  const y = (value) => plot.y + plot.h - (value / max) * plot.h
  let out = open(width, height)
  out += text(width / 2, 50, 'Quarterly Revenue by Segment, FY2024', {
    size: 26,
    anchor: 'middle',
    weight: 'bold',
    color: '#1f2937',
  })
  out += text(width / 2, 80, 'in millions of USD', { size: 15, anchor: 'middle', color: '#6b7280' })
  for (let v = 0; v <= max; v++) {
    out += `<line x1="${plot.x}" x2="${plot.x + plot.w}" y1="${y(v)}" y2="${y(v)}" stroke="${v === 0 ? '#374151' : '#e5e7eb'}" stroke-width="${v === 0 ? 2 : 1}"/>`
    out += text(plot.x - 14, y(v) + 5, `$${v}.0M`, { anchor: 'end', color: '#4b5563' })
  }
  const group = plot.w / BAR_DATA.quarters.length
  BAR_DATA.quarters.forEach((quarter, i) => {
    const x0 = plot.x + i * group + group * 0.18
    const bar = group * 0.3
    for (const [j, series, color] of [
      [0, BAR_DATA.hardware, '#2563eb'],
      [1, BAR_DATA.services, '#f59e0b'],
    ]) {
      const x = x0 + j * (bar + 6)
      out += `<rect x="${x.toFixed(1)}" y="${y(series[i]).toFixed(1)}" width="${bar.toFixed(1)}" height="${(plot.y + plot.h - y(series[i])).toFixed(1)}" fill="${color}" rx="3"/>`
      out += text((x + bar / 2).toFixed(1), (y(series[i]) - 8).toFixed(1), series[i].toFixed(1), {
        anchor: 'middle',
        size: 15,
        weight: 'bold',
        color: '#111827',
      })
    }
    out += text((plot.x + i * group + group / 2).toFixed(1), plot.y + plot.h + 30, quarter, {
      anchor: 'middle',
      size: 17,
      color: '#111827',
    })
  })
  out += `<rect x="360" y="640" width="18" height="18" fill="#2563eb"/>` + text(386, 655, 'Hardware', { size: 16 })
  out += `<rect x="520" y="640" width="18" height="18" fill="#f59e0b"/>` + text(546, 655, 'Services', { size: 16 })
  return `${out}</svg>`
}

/** Monthly mean temperature of two cities, a line chart with markers. */
export const LINE_DATA = {
  months: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  oslo: [-4, -4, 0, 5, 11, 15, 17, 16, 11, 6, 1, -3],
  lisbon: [11, 12, 14, 16, 18, 21, 23, 24, 22, 19, 15, 12],
}

export function lineChart() {
  const width = 1000
  const height = 700
  const plot = { x: 100, y: 100, w: 840, h: 480 }
  const [min, max] = [-10, 30]
  const y = (value) => plot.y + plot.h - ((value - min) / (max - min)) * plot.h
  const x = (i) => plot.x + 30 + (i * (plot.w - 60)) / 11
  let out = open(width, height, '#fbfbfd')
  out += text(width / 2, 50, 'Average Monthly Temperature (°C)', {
    size: 26,
    anchor: 'middle',
    weight: 'bold',
    color: '#1f2937',
  })
  for (let v = min; v <= max; v += 5) {
    out += `<line x1="${plot.x}" x2="${plot.x + plot.w}" y1="${y(v)}" y2="${y(v)}" stroke="${v === 0 ? '#9ca3af' : '#e5e7eb'}" stroke-dasharray="${v === 0 ? '0' : '4 4'}"/>`
    out += text(plot.x - 12, y(v) + 5, String(v), { anchor: 'end', color: '#4b5563' })
  }
  out += `<line x1="${plot.x}" x2="${plot.x}" y1="${plot.y}" y2="${plot.y + plot.h}" stroke="#374151" stroke-width="2"/>`
  LINE_DATA.months.forEach(
    (month, i) => (out += text(x(i), plot.y + plot.h + 28, month, { anchor: 'middle', color: '#374151' })),
  )
  for (const [series, color] of [
    [LINE_DATA.oslo, '#0ea5e9'],
    [LINE_DATA.lisbon, '#ef4444'],
  ]) {
    out += `<polyline points="${series.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}" fill="none" stroke="${color}" stroke-width="3.5"/>`
    series.forEach(
      (v, i) =>
        (out += `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="5.5" fill="#fff" stroke="${color}" stroke-width="3"/>`),
    )
    const peak = series.indexOf(Math.max(...series))
    out += text(x(peak), y(series[peak]) - 14, `${series[peak]}°`, { anchor: 'middle', weight: 'bold', color })
  }
  out += text(width / 2, 650, 'Month', { anchor: 'middle', size: 16, color: '#4b5563' })
  out +=
    `<line x1="760" x2="800" y1="125" y2="125" stroke="#0ea5e9" stroke-width="4"/>` +
    text(808, 131, 'Oslo', { size: 16 })
  out +=
    `<line x1="760" x2="800" y1="155" y2="155" stroke="#ef4444" stroke-width="4"/>` +
    text(808, 161, 'Lisbon', { size: 16 })
  out += text(40, plot.y + plot.h / 2, 'Temperature (°C)', {
    anchor: 'middle',
    size: 16,
    color: '#4b5563',
    extra: `transform="rotate(-90 40 ${plot.y + plot.h / 2})"`,
  })
  return `${out}</svg>`
}

/** Smartphone market share, a pie chart with percentages and a legend. */
export const PIE_DATA = [
  ['Vendor A', 31, '#6366f1'],
  ['Vendor B', 24, '#10b981'],
  ['Vendor C', 18, '#f97316'],
  ['Vendor D', 12, '#e11d48'],
  ['Others', 15, '#9ca3af'],
]

export function pieChart() {
  const width = 900
  const height = 700
  const [cx, cy, r] = [340, 380, 240]
  let out = open(width, height)
  out += text(width / 2, 55, 'Global Smartphone Shipments, 2024 (share %)', {
    size: 25,
    anchor: 'middle',
    weight: 'bold',
    color: '#1f2937',
  })
  let angle = -Math.PI / 2
  for (const [, share, color] of PIE_DATA) {
    const sweep = (share / 100) * Math.PI * 2
    const [x1, y1] = [cx + r * Math.cos(angle), cy + r * Math.sin(angle)]
    const [x2, y2] = [cx + r * Math.cos(angle + sweep), cy + r * Math.sin(angle + sweep)]
    out += `<path d="M${cx},${cy} L${x1.toFixed(1)},${y1.toFixed(1)} A${r},${r} 0 ${sweep > Math.PI ? 1 : 0} 1 ${x2.toFixed(1)},${y2.toFixed(1)} Z" fill="${color}" stroke="#fff" stroke-width="3"/>`
    const mid = angle + sweep / 2
    out += text(
      (cx + r * 0.65 * Math.cos(mid)).toFixed(1),
      (cy + r * 0.65 * Math.sin(mid) + 7).toFixed(1),
      `${share}%`,
      { anchor: 'middle', size: 22, weight: 'bold', color: '#fff' },
    )
    angle += sweep
  }
  PIE_DATA.forEach(([name, share, color], i) => {
    out +=
      `<rect x="650" y="${250 + i * 44}" width="24" height="24" rx="4" fill="${color}"/>` +
      text(686, 269 + i * 44, `${name} (${share}%)`, { size: 18, color: '#1f2937' })
  })
  out += text(width / 2, 675, 'Source: illustrative data generated for the dataflow sample set', {
    size: 13,
    anchor: 'middle',
    color: '#9ca3af',
  })
  return `${out}</svg>`
}

/** A geometry exercise: right triangle with labelled sides, an angle and its inscribed circle. */
export function geometryFigure() {
  const width = 900
  const height = 800
  const [ax, ay, bx, by, cx, cy] = [150, 620, 750, 620, 150, 170]
  // Legs 600 (AB) and 450 (AC): a 3-4-5 triangle, so the inradius is (450 + 600 - 750) / 2 = 150.
  let out = open(width, height, '#fffef8')
  out += text(450, 60, 'Exercise 7. Right triangle ABC', {
    size: 26,
    anchor: 'middle',
    weight: 'bold',
    color: '#1e3a8a',
  })
  for (let gx = 50; gx < width; gx += 50) out += `<line x1="${gx}" y1="90" x2="${gx}" y2="760" stroke="#e8eef8"/>`
  for (let gy = 100; gy < 770; gy += 50) out += `<line x1="20" y1="${gy}" x2="880" y2="${gy}" stroke="#e8eef8"/>`
  out += `<polygon points="${ax},${ay} ${bx},${by} ${cx},${cy}" fill="#dbeafe" fill-opacity="0.5" stroke="#1e40af" stroke-width="4"/>`
  out += `<polyline points="${ax + 30},${ay} ${ax + 30},${ay - 30} ${ax},${ay - 30}" fill="none" stroke="#1e40af" stroke-width="2.5"/>`
  out += `<circle cx="${ax + 150}" cy="${ay - 150}" r="150" fill="none" stroke="#dc2626" stroke-width="3" stroke-dasharray="10 6"/>`
  out +=
    `<circle cx="${ax + 150}" cy="${ay - 150}" r="5" fill="#dc2626"/>` +
    text(ax + 160, ay - 155, 'I', { size: 22, color: '#dc2626', weight: 'bold' })
  out += `<path d="M${bx - 80},${by} A80,80 0 0 0 ${(bx - 80 * 0.8).toFixed(1)},${(by - 80 * 0.6).toFixed(1)}" fill="none" stroke="#047857" stroke-width="3"/>`
  out += text(bx - 120, by - 18, 'θ', { size: 26, color: '#047857', weight: 'bold' })
  out +=
    text(ax - 30, ay + 30, 'A', { size: 28, weight: 'bold', color: '#111' }) +
    text(bx + 12, by + 30, 'B', { size: 28, weight: 'bold', color: '#111' }) +
    text(cx - 34, cy, 'C', { size: 28, weight: 'bold', color: '#111' })
  out += text(450, ay + 45, 'AB = 8 cm', { size: 22, anchor: 'middle', color: '#1f2937' })
  out += text(ax - 20, 400, 'AC = 6 cm', {
    size: 22,
    anchor: 'middle',
    color: '#1f2937',
    extra: `transform="rotate(-90 ${ax - 20} 400)"`,
  })
  out += text(490, 375, 'BC = ?', { size: 22, color: '#1f2937', extra: 'transform="rotate(37 490 375)"' })
  out += text(450, 740, 'Find BC, sin θ and the radius r of the inscribed circle.', {
    size: 20,
    anchor: 'middle',
    color: '#374151',
  })
  return `${out}</svg>`
}

/** A financial summary table, as cropped from an annual report. */
export const TABLE_ROWS = [
  ['Revenue', '12,480', '14,215', '+13.9%'],
  ['Cost of goods sold', '7,310', '8,004', '+9.5%'],
  ['Gross profit', '5,170', '6,211', '+20.1%'],
  ['Operating expenses', '3,020', '3,366', '+11.5%'],
  ['Operating income', '2,150', '2,845', '+32.3%'],
  ['Net income', '1,612', '2,197', '+36.3%'],
]

export function financialTable() {
  const width = 1000
  const height = 640
  const columns = [60, 470, 650, 830]
  let out = open(width, height)
  out += text(60, 70, 'Table 3. Consolidated income statement (USD thousands)', {
    size: 24,
    weight: 'bold',
    color: '#0f172a',
  })
  out += `<rect x="40" y="100" width="920" height="56" fill="#0f3d6e"/>`
  ;['Item', 'FY2023', 'FY2024', 'Change'].forEach(
    (h, i) =>
      (out += text(columns[i] + (i ? 90 : 0), 136, h, {
        size: 19,
        weight: 'bold',
        color: '#fff',
        anchor: i ? 'end' : 'start',
      })),
  )
  TABLE_ROWS.forEach((row, r) => {
    const y = 156 + r * 64
    out += `<rect x="40" y="${y}" width="920" height="64" fill="${r % 2 ? '#f1f5f9' : '#ffffff'}"/>`
    out += `<line x1="40" x2="960" y1="${y + 64}" y2="${y + 64}" stroke="#cbd5e1"/>`
    row.forEach((cell, i) => {
      const bold = row[0] === 'Net income' || row[0] === 'Gross profit'
      out += text(columns[i] + (i ? 90 : 0), y + 40, cell, {
        size: 19,
        weight: bold ? 'bold' : 'normal',
        anchor: i ? 'end' : 'start',
        color: i === 3 ? '#15803d' : '#111827',
      })
    })
  })
  out += text(60, 600, 'Figures are unaudited. Change computed on unrounded values.', { size: 15, color: '#64748b' })
  return `${out}</svg>`
}
