import { createRandom, escapeXml, ridge, ridgePath } from '../random.mjs'

const open = (width, height, background) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="${width}" height="${height}" fill="${background}"/>`
const text = (x, y, value, { size = 18, anchor = 'middle', weight = 'bold', color = '#1f2937' } = {}) =>
  `<text x="${x}" y="${y}" font-family="DejaVu Sans" font-size="${size}" font-weight="${weight}" fill="${color}" text-anchor="${anchor}">${escapeXml(value)}</text>`
const label = (x, y, value, color = '#1f2937') =>
  `<rect x="${x - value.length * 5.6 - 12}" y="${y - 22}" width="${value.length * 11.2 + 24}" height="32" rx="8" fill="#ffffff" fill-opacity="0.9" stroke="${color}" stroke-width="2"/>` +
  text(x, y, value, { color })
const arrowDefs = `<defs><marker id="arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 Z" fill="#1d4ed8"/></marker></defs>`

/** The water cycle: sun, sea, clouds, mountains, rain, river, with labelled arrows. */
export function waterCycle(seed) {
  const random = createRandom(seed)
  const width = 1200
  const height = 850
  let out = open(width, height, '#e0f2fe') + arrowDefs
  out += text(600, 56, 'The Water Cycle', { size: 34, color: '#0c4a6e' })
  out +=
    `<circle cx="130" cy="150" r="62" fill="#fbbf24"/>` +
    Array.from({ length: 12 }, (_, i) => {
      const a = (i * Math.PI) / 6
      return `<line x1="${(130 + 75 * Math.cos(a)).toFixed(1)}" y1="${(150 + 75 * Math.sin(a)).toFixed(1)}" x2="${(130 + 100 * Math.cos(a)).toFixed(1)}" y2="${(150 + 100 * Math.sin(a)).toFixed(1)}" stroke="#f59e0b" stroke-width="6" stroke-linecap="round"/>`
    }).join('')
  out += `<path d="${ridgePath(
    ridge(random, 700, 430, 110, 0.5, 6).map(([x, y]) => [x + 500, y]),
    700,
  )}" fill="#78716c"/>`
  out += `<path d="M840,330 L900,300 L960,335 L930,350 L870,345 Z" fill="#ffffff"/>`
  out += `<rect x="0" y="640" width="560" height="210" fill="#0ea5e9"/><rect x="560" y="640" width="640" height="210" fill="#65a30d"/>`
  out += `<path d="M1150,520 C1000,600 900,620 760,660 C680,690 600,700 560,700" stroke="#0284c7" stroke-width="22" fill="none"/>`
  for (const [cx, cy] of [
    [430, 190],
    [820, 170],
  ]) {
    out += `<g fill="#f8fafc" stroke="#94a3b8" stroke-width="2"><circle cx="${cx}" cy="${cy}" r="50"/><circle cx="${cx + 55}" cy="${cy + 10}" r="42"/><circle cx="${cx - 55}" cy="${cy + 12}" r="40"/><rect x="${cx - 90}" y="${cy + 10}" width="190" height="42" rx="20" stroke="none"/></g>`
  }
  out += Array.from({ length: 22 }, () => {
    const x = random.range(740, 920)
    const y = random.range(250, 330)
    return `<line x1="${x.toFixed(0)}" y1="${y.toFixed(0)}" x2="${(x - 6).toFixed(0)}" y2="${(y + 22).toFixed(0)}" stroke="#2563eb" stroke-width="3" stroke-linecap="round"/>`
  }).join('')
  out += `<path d="M300,620 C280,480 320,330 380,250" stroke="#1d4ed8" stroke-width="5" fill="none" stroke-dasharray="12 8" marker-end="url(#arrow)"/>`
  out += `<path d="M500,170 C600,130 680,130 750,160" stroke="#1d4ed8" stroke-width="5" fill="none" marker-end="url(#arrow)"/>`
  out += `<path d="M1000,360 C1040,420 1080,470 1110,510" stroke="#1d4ed8" stroke-width="5" fill="none" marker-end="url(#arrow)"/>`
  out += `<path d="M620,720 C520,740 420,730 330,700" stroke="#1d4ed8" stroke-width="5" fill="none" marker-end="url(#arrow)"/>`
  out +=
    label(250, 430, 'Evaporation') +
    label(620, 118, 'Condensation') +
    label(960, 300, 'Precipitation') +
    label(1020, 470, 'Runoff') +
    label(470, 790, 'Collection')
  out += label(180, 270, 'Solar energy', '#b45309')
  return `${out}</svg>`
}

/** An animal cell cross-section with labelled organelles. */
export function animalCell(seed) {
  const random = createRandom(seed)
  const width = 1100
  const height = 800
  let out = open(width, height, '#fdf4ff')
  out += text(550, 56, 'Structure of an Animal Cell', { size: 32, color: '#581c87' })
  out += `<ellipse cx="480" cy="430" rx="330" ry="270" fill="#fce7f3" stroke="#db2777" stroke-width="6"/>`
  out += `<circle cx="470" cy="420" r="105" fill="#c4b5fd" stroke="#6d28d9" stroke-width="5"/><circle cx="490" cy="405" r="35" fill="#7c3aed"/>`
  for (const [x, y, rotation] of [
    [300, 300, 20],
    [650, 540, -30],
    [340, 580, 60],
  ]) {
    out += `<g transform="rotate(${rotation} ${x} ${y})"><ellipse cx="${x}" cy="${y}" rx="58" ry="28" fill="#fdba74" stroke="#c2410c" stroke-width="4"/><path d="M${x - 44},${y} q11,-20 22,0 t22,0 t22,0 t22,0" stroke="#c2410c" stroke-width="3" fill="none"/></g>`
  }
  for (let i = 0; i < 5; i++)
    out += `<path d="M${600 + i * 4},${250 + i * 16} q60,-14 120,0" stroke="#0891b2" stroke-width="7" fill="none" stroke-linecap="round"/>`
  out += Array.from(
    { length: 40 },
    () =>
      `<circle cx="${random.range(230, 740).toFixed(0)}" cy="${random.range(220, 650).toFixed(0)}" r="4" fill="#475569"/>`,
  ).join('')
  out += `<circle cx="700" cy="420" r="26" fill="#86efac" stroke="#15803d" stroke-width="3"/>`
  const line = (x1, y1, x2, y2) =>
    `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#334155" stroke-width="2"/>`
  out += line(490, 405, 860, 130) + text(870, 135, 'Nucleolus', { anchor: 'start', size: 20 })
  out += line(560, 380, 860, 200) + text(870, 205, 'Nucleus', { anchor: 'start', size: 20 })
  out += line(700, 270, 860, 270) + text(870, 275, 'Golgi apparatus', { anchor: 'start', size: 20 })
  out += line(720, 420, 860, 420) + text(870, 425, 'Lysosome', { anchor: 'start', size: 20 })
  out += line(690, 540, 860, 560) + text(870, 565, 'Mitochondrion', { anchor: 'start', size: 20 })
  out += line(780, 560, 860, 660) + text(870, 665, 'Cell membrane', { anchor: 'start', size: 20 })
  out += line(250, 480, 110, 700) + text(30, 730, 'Ribosomes', { anchor: 'start', size: 20 })
  out += line(300, 300, 110, 160) + text(30, 150, 'Mitochondrion', { anchor: 'start', size: 20 })
  return `${out}</svg>`
}
