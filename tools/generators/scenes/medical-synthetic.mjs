import { createRandom } from '../random.mjs'

const open = (width, height, background) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="${width}" height="${height}" fill="${background}"/>`
const mark = (x, y, value, size = 20, anchor = 'start') =>
  `<text x="${x}" y="${y}" font-family="DejaVu Sans" font-size="${size}" fill="#d4d4d4" text-anchor="${anchor}">${value}</text>`

/** A chest radiograph look-alike (PA view), clearly marked as synthetic. */
export function chestXray() {
  const width = 1024
  const height = 1024
  let out = open(width, height, '#0b0b0b')
  out += `<defs><radialGradient id="body" cx="0.5" cy="0.5" r="0.6"><stop offset="0" stop-color="#5a5a5a"/><stop offset="1" stop-color="#1c1c1c"/></radialGradient>
    <radialGradient id="lung" cx="0.5" cy="0.45" r="0.6"><stop offset="0" stop-color="#151515"/><stop offset="1" stop-color="#2e2e2e"/></radialGradient>
    <filter id="soft"><feGaussianBlur stdDeviation="6"/></filter><filter id="bone"><feGaussianBlur stdDeviation="2.5"/></filter></defs>`
  out += `<path d="M170,1024 C150,700 180,360 300,250 C380,190 440,170 512,170 C584,170 644,190 724,250 C844,360 874,700 854,1024 Z" fill="url(#body)" filter="url(#soft)"/>`
  out += `<path d="M300,330 C240,450 230,700 290,830 C360,860 440,840 470,800 L470,330 C420,290 350,290 300,330 Z" fill="url(#lung)" filter="url(#soft)"/>`
  out += `<path d="M724,330 C784,450 794,700 734,830 C664,860 584,840 554,800 L554,330 C604,290 674,290 724,330 Z" fill="url(#lung)" filter="url(#soft)"/>`
  out += `<ellipse cx="560" cy="700" rx="120" ry="140" fill="#6b6b6b" opacity="0.75" filter="url(#soft)"/>`
  out += `<rect x="492" y="120" width="40" height="880" rx="14" fill="#9a9a9a" filter="url(#bone)"/>`
  let ribs = ''
  for (let i = 0; i < 10; i++) {
    const y = 300 + i * 55
    ribs += `<path d="M500,${y} C420,${y - 40} 300,${y - 20} 250,${y + 60}" stroke="#a8a8a8" stroke-width="${14 - i * 0.5}" fill="none" opacity="0.8"/>`
    ribs += `<path d="M524,${y} C604,${y - 40} 724,${y - 20} 774,${y + 60}" stroke="#a8a8a8" stroke-width="${14 - i * 0.5}" fill="none" opacity="0.8"/>`
  }
  out += `<g filter="url(#bone)">${ribs}</g>`
  out += `<path d="M260,250 C350,215 430,225 490,250" stroke="#b5b5b5" stroke-width="22" fill="none" filter="url(#bone)"/><path d="M764,250 C674,215 594,225 534,250" stroke="#b5b5b5" stroke-width="22" fill="none" filter="url(#bone)"/>`
  out += `<path d="M250,900 C380,860 640,860 774,900" stroke="#7a7a7a" stroke-width="18" fill="none" filter="url(#soft)"/>`
  out +=
    mark(40, 60, 'R', 44) +
    mark(984, 60, 'PA', 28, 'end') +
    mark(40, 990, 'SYNTHETIC IMAGE — NOT FOR DIAGNOSIS', 18) +
    mark(984, 990, 'dataflow sample', 16, 'end')
  return `${out}</svg>`
}

/** An axial brain MRI look-alike (T1-like contrast), clearly marked as synthetic. */
export function brainMri(seed) {
  const random = createRandom(seed)
  const width = 768
  const height = 768
  let out = open(width, height, '#000000')
  out += `<defs><filter id="soft"><feGaussianBlur stdDeviation="3"/></filter><filter id="fine"><feGaussianBlur stdDeviation="1.2"/></filter></defs>`
  out += `<ellipse cx="384" cy="390" rx="250" ry="300" fill="#d9d9d9" filter="url(#soft)"/>`
  out += `<ellipse cx="384" cy="390" rx="232" ry="282" fill="#3a3a3a" filter="url(#soft)"/>`
  out += `<ellipse cx="384" cy="390" rx="222" ry="272" fill="#8c8c8c" filter="url(#soft)"/>`
  let gyri = ''
  for (let i = 0; i < 70; i++) {
    const angle = (i / 70) * Math.PI * 2
    const r = random.range(0.78, 0.9)
    const x = 384 + Math.cos(angle) * 222 * r
    const y = 390 + Math.sin(angle) * 272 * r
    gyri += `<path d="M${x.toFixed(1)},${y.toFixed(1)} q${random.range(-20, 20).toFixed(1)},${random.range(-20, 20).toFixed(1)} ${(-Math.cos(angle) * 40).toFixed(1)},${(-Math.sin(angle) * 40).toFixed(1)}" stroke="#4a4a4a" stroke-width="${random.range(3, 6).toFixed(1)}" fill="none"/>`
  }
  out += `<g filter="url(#fine)">${gyri}</g>`
  out += `<ellipse cx="384" cy="390" rx="150" ry="190" fill="#b8b8b8" filter="url(#soft)"/>`
  out += `<path d="M350,330 C330,380 340,430 370,450 L384,420 Z" fill="#1e1e1e" filter="url(#fine)"/><path d="M418,330 C438,380 428,430 398,450 L384,420 Z" fill="#1e1e1e" filter="url(#fine)"/>`
  out += `<line x1="384" y1="110" x2="384" y2="300" stroke="#2a2a2a" stroke-width="5" filter="url(#fine)"/>`
  out +=
    mark(24, 40, 'AX T1', 20) +
    mark(744, 40, 'SL 12/24', 18, 'end') +
    mark(24, 744, 'SYNTHETIC — NOT A PATIENT', 16) +
    mark(744, 744, 'L', 28, 'end')
  return `${out}</svg>`
}

/** Abstract generative art: overlapping translucent circles and bands on a warm gradient. */
export function abstractArt(seed) {
  const random = createRandom(seed)
  const size = 1024
  const palette = ['#264653', '#2a9d8f', '#e9c46a', '#f4a261', '#e76f51', '#8338ec', '#ff006e']
  let out = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#fefae0"/><stop offset="1" stop-color="#f2cc8f"/></linearGradient><filter id="soft"><feGaussianBlur stdDeviation="2"/></filter></defs><rect width="${size}" height="${size}" fill="url(#bg)"/>`
  for (let i = 0; i < 9; i++) {
    const y = random.range(0, size)
    out += `<path d="M0,${y.toFixed(0)} C300,${(y + random.range(-200, 200)).toFixed(0)} 700,${(y + random.range(-200, 200)).toFixed(0)} 1024,${(y + random.range(-100, 100)).toFixed(0)}" stroke="${random.pick(palette)}" stroke-width="${random.range(10, 60).toFixed(0)}" fill="none" opacity="0.55"/>`
  }
  for (let i = 0; i < 28; i++) {
    out += `<circle cx="${random.range(0, size).toFixed(0)}" cy="${random.range(0, size).toFixed(0)}" r="${random.range(20, 180).toFixed(0)}" fill="${random.pick(palette)}" opacity="${random.range(0.35, 0.8).toFixed(2)}" filter="url(#soft)"/>`
  }
  for (let i = 0; i < 6; i++) {
    const x = random.range(100, 900)
    const y = random.range(100, 900)
    out += `<rect x="${x.toFixed(0)}" y="${y.toFixed(0)}" width="${random.range(40, 160).toFixed(0)}" height="${random.range(40, 160).toFixed(0)}" fill="none" stroke="#1d3557" stroke-width="5" transform="rotate(${random.range(-30, 30).toFixed(0)} ${x.toFixed(0)} ${y.toFixed(0)})"/>`
  }
  return `${out}</svg>`
}

/** A 3D-looking render: shaded spheres and a cube on a reflective floor, soft shadows. */
export function render3d() {
  const width = 1024
  const height = 768
  const sphere = (id, cx, cy, r, light, dark) =>
    `<radialGradient id="${id}" cx="0.35" cy="0.3" r="0.75"><stop offset="0" stop-color="#ffffff"/><stop offset="0.15" stop-color="${light}"/><stop offset="1" stop-color="${dark}"/></radialGradient>` +
    `<ellipse cx="${cx + r * 0.35}" cy="${cy + r * 0.95}" rx="${r * 1.05}" ry="${r * 0.22}" fill="#000" opacity="0.35" filter="url(#shadow)"/>` +
    `<circle cx="${cx}" cy="${cy}" r="${r}" fill="url(#${id})"/>`
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs>
    <linearGradient id="wall" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#d7dde8"/><stop offset="1" stop-color="#aeb8c8"/></linearGradient>
    <linearGradient id="floor" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#8e99ab"/><stop offset="1" stop-color="#5c6678"/></linearGradient>
    <filter id="shadow"><feGaussianBlur stdDeviation="10"/></filter></defs>
    <rect width="${width}" height="470" fill="url(#wall)"/><rect y="470" width="${width}" height="298" fill="url(#floor)"/>
    <polygon points="600,520 760,480 860,560 700,610" fill="#000" opacity="0.3" filter="url(#shadow)"/>
    <polygon points="620,360 740,330 740,470 620,500" fill="#f59e0b"/><polygon points="740,330 830,380 830,520 740,470" fill="#b45309"/><polygon points="620,360 740,330 830,380 710,412" fill="#fcd34d"/>
    ${sphere('red', 300, 470, 120, '#f87171', '#7f1d1d')}
    ${sphere('blue', 520, 560, 70, '#60a5fa', '#1e3a8a')}
    ${sphere('chrome', 860, 610, 60, '#e5e7eb', '#374151')}
    <circle cx="300" cy="${470 + 2 * 120 + 20}" r="60" fill="#f87171" opacity="0.08" filter="url(#shadow)"/>
  </svg>`
}
