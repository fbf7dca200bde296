import { escapeXml } from '../random.mjs'

const open = (width, height, background) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="${width}" height="${height}" fill="${background}"/>`
const text = (
  x,
  y,
  value,
  { size = 14, anchor = 'start', weight = 'normal', color = '#222', family = 'DejaVu Sans', style = 'normal' } = {},
) =>
  `<text x="${x}" y="${y}" font-family="${family}" font-size="${size}" font-weight="${weight}" font-style="${style}" fill="${color}" text-anchor="${anchor}">${escapeXml(value)}</text>`

/** Line items of the sample invoice: subtotal 2,220.00, VAT 510.60, total due 2,730.60 EUR. */
export const INVOICE_ITEMS = [
  ['Website redesign (fixed price)', 1, 1200],
  ['Hosting, 12 months', 12, 25],
  ['Logo design', 1, 450],
  ['Content migration, hours', 6, 45],
]

export function invoice() {
  const width = 850
  const height = 1100
  let out = open(width, height, '#ffffff')
  out += `<rect x="0" y="0" width="${width}" height="14" fill="#0d9488"/>`
  out +=
    `<circle cx="95" cy="105" r="36" fill="#0d9488"/>` +
    text(95, 116, 'NS', { size: 30, weight: 'bold', anchor: 'middle', color: '#fff' })
  out +=
    text(150, 98, 'Northwind Studio', { size: 28, weight: 'bold', color: '#0f172a' }) +
    text(150, 126, '12 Harbour Lane, 1100-042 Lisbon, Portugal', { size: 14, color: '#475569' })
  out += text(790, 98, 'INVOICE', { size: 36, weight: 'bold', anchor: 'end', color: '#0d9488' })
  out += text(790, 130, 'No. INV-2024-0187', { size: 15, anchor: 'end', color: '#334155' })
  out += text(60, 210, 'BILL TO', { size: 13, weight: 'bold', color: '#64748b' })
  ;['Harper & Lee Bakery', 'Attn: Maria Santos', 'Rua das Flores 88', '4050-265 Porto'].forEach(
    (line, i) =>
      (out += text(60, 238 + i * 24, line, { size: 16, color: '#0f172a', weight: i === 0 ? 'bold' : 'normal' })),
  )
  ;[
    ['Invoice date', '14 March 2024'],
    ['Due date', '13 April 2024'],
    ['Payment terms', 'Net 30'],
  ].forEach(([k, v], i) => {
    out +=
      text(560, 238 + i * 24, k, { size: 15, color: '#64748b' }) +
      text(790, 238 + i * 24, v, { size: 15, anchor: 'end', color: '#0f172a' })
  })
  out += `<rect x="60" y="360" width="730" height="42" fill="#f1f5f9"/>`
  ;[
    ['Description', 75, 'start'],
    ['Qty', 520, 'end'],
    ['Unit price', 650, 'end'],
    ['Amount', 775, 'end'],
  ].forEach(([h, x, a]) => (out += text(x, 387, h, { size: 15, weight: 'bold', anchor: a, color: '#334155' })))
  let subtotal = 0
  INVOICE_ITEMS.forEach(([name, qty, price], i) => {
    const y = 440 + i * 48
    const amount = qty * price
    subtotal += amount
    out += text(75, y, name, { size: 16 }) + text(520, y, String(qty), { size: 16, anchor: 'end' })
    out +=
      text(650, y, money(price), { size: 16, anchor: 'end' }) + text(775, y, money(amount), { size: 16, anchor: 'end' })
    out += `<line x1="60" x2="790" y1="${y + 18}" y2="${y + 18}" stroke="#e2e8f0"/>`
  })
  const vat = Math.round(subtotal * 0.23 * 100) / 100
  ;[
    ['Subtotal', subtotal],
    ['VAT 23%', vat],
    ['Total due', subtotal + vat],
  ].forEach(([k, v], i) => {
    const bold = i === 2
    out += text(620, 680 + i * 34, k, {
      size: bold ? 19 : 16,
      weight: bold ? 'bold' : 'normal',
      anchor: 'end',
      color: '#334155',
    })
    out += text(775, 680 + i * 34, `${money(v)} EUR`, {
      size: bold ? 19 : 16,
      weight: bold ? 'bold' : 'normal',
      anchor: 'end',
      color: bold ? '#0d9488' : '#0f172a',
    })
  })
  out += text(60, 860, 'Payment by bank transfer to IBAN PT50 0002 0123 1234 5678 9015 4', {
    size: 14,
    color: '#475569',
  })
  out += text(60, 884, 'Please quote the invoice number with your payment. Thank you for your business.', {
    size: 14,
    color: '#475569',
  })
  out +=
    `<line x1="60" x2="790" y1="1040" y2="1040" stroke="#cbd5e1"/>` +
    text(425, 1068, 'Northwind Studio · VAT PT 509 876 543 · hello@northwind.example', {
      size: 12,
      anchor: 'middle',
      color: '#94a3b8',
    })
  return `${out}</svg>`
}

function money(value) {
  return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
}

const ESSAY = [
  'The printing press, introduced in Europe around 1440, changed how knowledge travelled.',
  'Before it, a book was copied by hand over months; after it, a workshop could produce',
  'hundreds of identical copies in weeks. Prices fell, literacy rose, and ideas that once',
  'stayed within a monastery library reached merchants, students and artisans.',
  '',
  'Historians point to three lasting effects. First, texts became standardised: every reader',
  'of an edition saw the same words on the same page, which made citation and critique',
  'possible. Second, vernacular languages gained prestige as printers sought larger',
  'markets than Latin could offer. Third, the speed of circulation allowed debates to',
  'unfold across countries within a single generation.',
  '',
  'Not every consequence was welcome. Authorities soon licensed presses and banned titles,',
  'and pamphlets spread rumours as quickly as discoveries. The tension between open',
  'circulation and control that began in the fifteenth century is still with us today.',
]

/** A scanned book page: serif body text, a heading, a page number. */
export function textPage() {
  const width = 850
  const height = 1100
  let out = open(width, height, '#f6f1e6')
  out += `<rect x="0" y="0" width="24" height="${height}" fill="#e2dac8"/>`
  out += text(425, 90, 'CHAPTER FOUR', { size: 15, anchor: 'middle', family: 'DejaVu Serif', color: '#6b5e4a' })
  out += text(425, 140, 'Presses and Publics', {
    size: 34,
    anchor: 'middle',
    family: 'DejaVu Serif',
    weight: 'bold',
    color: '#2a241c',
  })
  ESSAY.forEach(
    (line, i) => (out += text(80, 230 + i * 34, line, { size: 15, family: 'DejaVu Serif', color: '#2a241c' })),
  )
  out += text(80, 760, '“What the press multiplied, no single authority could recall.”', {
    size: 18,
    family: 'DejaVu Serif',
    style: 'italic',
    color: '#4a4033',
  })
  out += text(425, 1040, '— 87 —', { size: 15, anchor: 'middle', family: 'DejaVu Serif', color: '#6b5e4a' })
  return `${out}</svg>`
}

/** A one-page report with a heading, two paragraphs and a small results table. */
export function reportPage() {
  const width = 900
  const height = 1165
  let out = open(width, height, '#ffffff')
  out += text(70, 100, 'Water Quality Report — Q2 2024', { size: 30, weight: 'bold', color: '#0c4a6e' })
  out += text(70, 132, 'Municipal Water Authority · District 4 sampling stations', { size: 16, color: '#64748b' })
  out += `<line x1="70" x2="830" y1="152" y2="152" stroke="#0c4a6e" stroke-width="2"/>`
  const body = [
    'Samples were collected weekly at five stations between April and June. All stations',
    'met the national limits for nitrate and turbidity. Station S3 recorded one exceedance',
    'of the coliform guideline on 18 May, traced to a broken valve repaired within 48 hours.',
  ]
  body.forEach((line, i) => (out += text(70, 200 + i * 28, line, { size: 17, color: '#1e293b' })))
  const rows = [
    ['Station', 'pH', 'Nitrate (mg/L)', 'Turbidity (NTU)', 'Status'],
    ['S1 North Reservoir', '7.4', '8.2', '0.4', 'Pass'],
    ['S2 River Intake', '7.1', '12.5', '0.9', 'Pass'],
    ['S3 East Main', '7.3', '9.8', '0.6', 'Review'],
    ['S4 Hillside Tank', '7.6', '6.1', '0.3', 'Pass'],
    ['S5 Treatment Plant', '7.2', '4.9', '0.2', 'Pass'],
  ]
  const x = [70, 330, 420, 590, 760]
  rows.forEach((row, r) => {
    const y = 330 + r * 46
    if (r === 0) out += `<rect x="60" y="${y - 30}" width="780" height="46" fill="#e0f2fe"/>`
    out += `<line x1="60" x2="840" y1="${y + 16}" y2="${y + 16}" stroke="#cbd5e1"/>`
    row.forEach(
      (cell, c) =>
        (out += text(x[c], y, cell, {
          size: 16,
          weight: r === 0 ? 'bold' : 'normal',
          color: cell === 'Review' ? '#b45309' : '#0f172a',
        })),
    )
  })
  const closing = [
    'Recommendation: continue weekly sampling at S3 through Q3 and replace the remaining',
    'valves of the same series. No action is required from households.',
  ]
  closing.forEach((line, i) => (out += text(70, 660 + i * 28, line, { size: 17, color: '#1e293b' })))
  out += text(70, 1100, 'Page 1 of 1 · Report ID WQ-D4-2024-Q2', { size: 13, color: '#94a3b8' })
  return `${out}</svg>`
}
