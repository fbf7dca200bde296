import { createRandom, ridge, ridgePath } from '../random.mjs'

const svgOpen = (width, height) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`

/** Soft blurred blobs: foliage, clouds, rocks. */
function blobs(random, count, area, colors, radius, opacity = 1) {
  let out = ''
  for (let i = 0; i < count; i++) {
    const x = random.range(area.x0, area.x1)
    const y = random.range(area.y0, area.y1)
    out += `<ellipse cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" rx="${(radius * random.range(0.6, 1.4)).toFixed(1)}" ry="${(radius * random.range(0.4, 0.9)).toFixed(1)}" fill="${random.pick(colors)}" opacity="${opacity}"/>`
  }
  return out
}

function tree(random, x, groundY, height) {
  const trunk = `<rect x="${(x - height * 0.03).toFixed(1)}" y="${(groundY - height * 0.4).toFixed(1)}" width="${(height * 0.06).toFixed(1)}" height="${(height * 0.4).toFixed(1)}" fill="#4a3423"/>`
  const crown = blobs(
    random,
    14,
    { x0: x - height * 0.22, x1: x + height * 0.22, y0: groundY - height, y1: groundY - height * 0.4 },
    ['#2f5d1f', '#3b7026', '#24481a', '#4c8a30'],
    height * 0.16,
  )
  return `${trunk}<g filter="url(#soft)">${crown}</g>`
}

function conifer(random, x, groundY, height, color) {
  const w = height * random.range(0.28, 0.36)
  return `<path d="M${x},${groundY - height} L${x + w / 2},${groundY} L${x - w / 2},${groundY} Z" fill="${color}"/>`
}

/** Sunset over mountains and a lake, with the reflection in the water. */
export function mountainLakeSunset(seed) {
  const random = createRandom(seed)
  const width = 1280
  const height = 853
  const horizon = 560
  const ridges = [
    { base: 360, amp: 80, color: '#6a4a7a' },
    { base: 420, amp: 70, color: '#4d3560' },
    { base: 500, amp: 45, color: '#2e2140' },
  ]
  const mountains = ridges
    .map((r) => `<path d="${ridgePath(ridge(random, width, r.base, r.amp), horizon)}" fill="${r.color}"/>`)
    .join('')
  const trees = Array.from({ length: 40 }, () =>
    conifer(random, random.range(0, width), horizon + 4, random.range(30, 70), '#15101d'),
  ).join('')
  return `${svgOpen(width, height)}
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#2b2d63"/><stop offset="0.45" stop-color="#b0507a"/><stop offset="0.8" stop-color="#f39a4c"/><stop offset="1" stop-color="#ffd27a"/>
    </linearGradient>
    <radialGradient id="sun"><stop offset="0" stop-color="#fff6d8"/><stop offset="0.25" stop-color="#ffe08a"/><stop offset="1" stop-color="#ffb347" stop-opacity="0"/></radialGradient>
    <linearGradient id="water" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#c9826b"/><stop offset="1" stop-color="#2a2447"/></linearGradient>
    <filter id="soft"><feGaussianBlur stdDeviation="1.2"/></filter>
    <filter id="haze"><feGaussianBlur stdDeviation="6"/></filter>
  </defs>
  <rect width="${width}" height="${horizon}" fill="url(#sky)"/>
  <circle cx="820" cy="215" r="230" fill="url(#sun)"/>
  <circle cx="820" cy="215" r="38" fill="#fff4d6"/>
  <g filter="url(#haze)" opacity="0.7">${Array.from({ length: 14 }, () => `<ellipse cx="${random.range(0, width).toFixed(0)}" cy="${random.range(90, 260).toFixed(0)}" rx="${random.range(120, 260).toFixed(0)}" ry="${random.range(6, 14).toFixed(0)}" fill="${random.pick(['#f7b58c', '#e98aa0', '#fcd2a1', '#8c4f7c'])}"/>`).join('')}</g>
  ${mountains}${trees}
  <rect y="${horizon}" width="${width}" height="${height - horizon}" fill="url(#water)"/>
  <g transform="translate(0 ${2 * horizon}) scale(1 -1)" opacity="0.35" filter="url(#haze)">${mountains}</g>
 ${Array.from({ length: 50 }, (_, i) => `<rect x="${(820 - random.range(20, 90)).toFixed(0)}" y="${(horizon + 8 + i * 5).toFixed(0)}" width="${random.range(60, 180).toFixed(0)}" height="2" fill="#ffe2a8" opacity="${random.range(0.3, 0.7).toFixed(2)}"/>`).join('')}
  ${Array.from({ length: 60 }, () => `<rect x="${random.range(0, width).toFixed(0)}" y="${random.range(horizon + 5, height).toFixed(0)}" width="${random.range(20, 120).toFixed(0)}" height="1.5" fill="#ffe6c0" opacity="${random.range(0.1, 0.35).toFixed(2)}"/>`).join('')}
</svg>`
}

/** A summer meadow with deciduous trees, clouds and a dirt path. */
export function meadowTrees(seed) {
  const random = createRandom(seed)
  const width = 1024
  const height = 768
  const hill1 = ridgePath(ridge(random, width, 430, 40, 0.5), height)
  const hill2 = ridgePath(ridge(random, width, 500, 30, 0.45), height)
  const trees = [
    [180, 520, 260],
    [330, 505, 200],
    [760, 530, 300],
    [900, 515, 220],
  ]
    .map(([x, y, h]) => tree(random, x, y, h))
    .join('')
  const flowers = Array.from(
    { length: 300 },
    () =>
      `<circle cx="${random.range(0, width).toFixed(0)}" cy="${random.range(560, height).toFixed(0)}" r="${random.range(1.5, 3.5).toFixed(1)}" fill="${random.pick(['#f4e04d', '#ffffff', '#e66a8a', '#b18ce6'])}"/>`,
  ).join('')
  return `${svgOpen(width, height)}
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3f7fd0"/><stop offset="1" stop-color="#bfdcf5"/></linearGradient>
    <linearGradient id="grass" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#7cae4a"/><stop offset="1" stop-color="#3e7a26"/></linearGradient>
    <filter id="soft"><feGaussianBlur stdDeviation="1.5"/></filter>
    <filter id="cloud"><feGaussianBlur stdDeviation="9"/></filter>
  </defs>
  <rect width="${width}" height="${height}" fill="url(#sky)"/>
  <g filter="url(#cloud)">${blobs(random, 16, { x0: 100, x1: 500, y0: 110, y1: 170 }, ['#ffffff', '#eef3f8'], 60)}${blobs(random, 12, { x0: 620, x1: 950, y0: 70, y1: 120 }, ['#ffffff', '#e3eaf2'], 50)}</g>
  <path d="${hill1}" fill="#8cb85a"/>
  <path d="${hill2}" fill="url(#grass)"/>
  <path d="M470,${height} C500,650 560,590 540,520 L556,520 C590,600 600,680 640,${height} Z" fill="#b99a6b" opacity="0.9"/>
  ${trees}${flowers}
</svg>`
}

/** A rocky coastline with waves, a beach and sea birds. */
export function coastline(seed) {
  const random = createRandom(seed)
  const width = 1200
  const height = 800
  const horizon = 380
  const rocks = blobs(
    random,
    26,
    { x0: 820, x1: 1200, y0: 420, y1: 620 },
    ['#5d5248', '#6e6257', '#4a4039', '#7d7166'],
    55,
  )
  const waves = Array.from({ length: 40 }, (_, i) => {
    const y = horizon + 10 + i * 6 + random.range(-2, 2)
    return `<path d="M0,${y.toFixed(1)} Q300,${(y - 4).toFixed(1)} 600,${y.toFixed(1)} T1200,${y.toFixed(1)}" stroke="#e8f4f8" stroke-width="${(0.6 + i * 0.05).toFixed(2)}" fill="none" opacity="${random.range(0.15, 0.45).toFixed(2)}"/>`
  }).join('')
  const birds = Array.from({ length: 7 }, () => {
    const x = random.range(200, 700)
    const y = random.range(90, 260)
    const s = random.range(8, 16)
    return `<path d="M${x - s},${y} q${s / 2},-${s / 2} ${s},0 q${s / 2},-${s / 2} ${s},0" stroke="#2d3440" stroke-width="2" fill="none"/>`
  }).join('')
  return `${svgOpen(width, height)}
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#5b9bd5"/><stop offset="1" stop-color="#d8ecf7"/></linearGradient>
    <linearGradient id="sea" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#1f5f86"/><stop offset="0.6" stop-color="#2f8aa6"/><stop offset="1" stop-color="#6fc3c9"/></linearGradient>
    <linearGradient id="sand" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#e9d3a6"/><stop offset="1" stop-color="#c9ab78"/></linearGradient>
    <filter id="soft"><feGaussianBlur stdDeviation="2"/></filter>
    <filter id="cloud"><feGaussianBlur stdDeviation="12"/></filter>
  </defs>
  <rect width="${width}" height="${horizon}" fill="url(#sky)"/>
  <g filter="url(#cloud)" opacity="0.9">${blobs(random, 20, { x0: 0, x1: width, y0: 60, y1: 200 }, ['#ffffff', '#f1f5f9'], 70)}</g>
  <rect y="${horizon}" width="${width}" height="${height - horizon}" fill="url(#sea)"/>
  ${waves}
  <path d="M0,800 L0,610 C250,580 480,640 760,600 C900,585 1050,640 1200,620 L1200,800 Z" fill="url(#sand)"/>
  <path d="M0,612 C250,582 480,642 760,602 C900,587 1050,642 1200,622" stroke="#ffffff" stroke-width="5" fill="none" opacity="0.7" filter="url(#soft)"/>
  <g filter="url(#soft)">${rocks}</g>
  ${birds}
</svg>`
}

/** A city skyline at night: lit windows, a moon and stars. */
export function nightCity(seed) {
  const random = createRandom(seed)
  const width = 1024
  const height = 683
  let buildings = ''
  for (let x = -10; x < width;) {
    const w = random.range(45, 110)
    const h = random.range(150, 430)
    const top = height - 60 - h
    buildings += `<rect x="${x.toFixed(0)}" y="${top.toFixed(0)}" width="${w.toFixed(0)}" height="${h.toFixed(0)}" fill="${random.pick(['#1b2232', '#222a3d', '#161b28'])}"/>`
    for (let wy = top + 10; wy < height - 70; wy += 14) {
      for (let wx = x + 6; wx < x + w - 8; wx += 11) {
        if (random.next() < 0.38)
          buildings += `<rect x="${wx.toFixed(0)}" y="${wy.toFixed(0)}" width="6" height="8" fill="${random.pick(['#ffd98a', '#ffe9b8', '#fff3d6', '#9fd3ff'])}" opacity="${random.range(0.6, 1).toFixed(2)}"/>`
      }
    }
    x += w + random.range(2, 12)
  }
  const stars = Array.from(
    { length: 160 },
    () =>
      `<circle cx="${random.range(0, width).toFixed(0)}" cy="${random.range(0, 300).toFixed(0)}" r="${random.range(0.5, 1.6).toFixed(1)}" fill="#ffffff" opacity="${random.range(0.3, 0.9).toFixed(2)}"/>`,
  ).join('')
  const reflections = Array.from(
    { length: 90 },
    () =>
      `<rect x="${random.range(0, width).toFixed(0)}" y="${random.range(630, height).toFixed(0)}" width="${random.range(3, 14).toFixed(0)}" height="2" fill="#ffd98a" opacity="${random.range(0.2, 0.6).toFixed(2)}"/>`,
  ).join('')
  return `${svgOpen(width, height)}
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#050914"/><stop offset="0.7" stop-color="#14203d"/><stop offset="1" stop-color="#3a3050"/></linearGradient>
    <radialGradient id="moon"><stop offset="0" stop-color="#fbfbf0"/><stop offset="0.5" stop-color="#e9e8d8"/><stop offset="1" stop-color="#e9e8d8" stop-opacity="0"/></radialGradient>
    <filter id="glow"><feGaussianBlur stdDeviation="1.2"/></filter>
  </defs>
  <rect width="${width}" height="${height}" fill="url(#sky)"/>
  ${stars}
  <circle cx="820" cy="110" r="70" fill="url(#moon)" opacity="0.5"/><circle cx="820" cy="110" r="32" fill="#f4f2e4"/>
  <g filter="url(#glow)">${buildings}</g>
  <rect y="${height - 60}" width="${width}" height="60" fill="#0c111c"/>
  ${reflections}
</svg>`
}

/** A forest path in portrait format, as a phone photographs it. */
export function forestPathPortrait(seed) {
  const random = createRandom(seed)
  const width = 756
  const height = 1008
  const trunks = Array.from({ length: 16 }, () => {
    const x = random.range(0, width)
    const w = random.range(14, 60)
    return `<rect x="${x.toFixed(0)}" y="0" width="${w.toFixed(0)}" height="${random.range(700, 900).toFixed(0)}" fill="${random.pick(['#3b2b1f', '#4a3828', '#2e221a'])}"/>`
  }).join('')
  const canopy = blobs(
    random,
    70,
    { x0: 0, x1: width, y0: 0, y1: 380 },
    ['#2f5a22', '#417a2c', '#5c9a3a', '#20401a', '#9cc46a'],
    80,
  )
  const ferns = blobs(random, 60, { x0: 0, x1: width, y0: 760, y1: height }, ['#3c6e2a', '#5b8f3c', '#2b5220'], 40)
  return `${svgOpen(width, height)}
  <defs>
    <linearGradient id="light" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#e8f0c8"/><stop offset="1" stop-color="#6f8c4a"/></linearGradient>
    <filter id="soft"><feGaussianBlur stdDeviation="3"/></filter>
    <filter id="leaf"><feGaussianBlur stdDeviation="1.5"/></filter>
  </defs>
  <rect width="${width}" height="${height}" fill="url(#light)"/>
  <g filter="url(#soft)" opacity="0.8">${trunks}</g>
  <g filter="url(#leaf)">${canopy}</g>
  <path d="M300,${height} C340,900 360,820 370,700 L392,700 C410,820 470,900 520,${height} Z" fill="#a48a60"/>
  <g filter="url(#leaf)">${ferns}</g>
  <path d="M380,0 L330,700 L430,700 Z" fill="#fffbe0" opacity="0.12" filter="url(#soft)"/>
</svg>`
}

/** Autumn trees by a river; a second natural photo inside the mixed dataset. */
export function autumnRiver(seed) {
  const random = createRandom(seed)
  const width = 1152
  const height = 768
  const bank = ridgePath(ridge(random, width, 470, 25, 0.5), 560)
  const trees = Array.from({ length: 12 }, (_, i) => {
    const x = 40 + i * 95 + random.range(-20, 20)
    const y = 480
    const h = random.range(180, 300)
    return (
      `<rect x="${x - 5}" y="${(y - h * 0.45).toFixed(0)}" width="10" height="${(h * 0.45).toFixed(0)}" fill="#3d2a1c"/>` +
      `<g filter="url(#leaf)">${blobs(random, 12, { x0: x - h * 0.22, x1: x + h * 0.22, y0: y - h, y1: y - h * 0.4 }, ['#c8501e', '#e07b24', '#f2b134', '#a8361c', '#7a8a2a'], h * 0.15)}</g>`
    )
  }).join('')
  return `${svgOpen(width, height)}
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#8fb4d8"/><stop offset="1" stop-color="#e6e2d3"/></linearGradient>
    <linearGradient id="river" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#6d8796"/><stop offset="1" stop-color="#30444f"/></linearGradient>
    <filter id="leaf"><feGaussianBlur stdDeviation="1.6"/></filter>
    <filter id="blur"><feGaussianBlur stdDeviation="5"/></filter>
  </defs>
  <rect width="${width}" height="${height}" fill="url(#sky)"/>
  <path d="${bank}" fill="#6b6a3a"/>
  ${trees}
  <rect y="540" width="${width}" height="${height - 540}" fill="url(#river)"/>
  <g transform="translate(0 1080) scale(1 -1)" opacity="0.3" filter="url(#blur)">${trees}</g>
  <path d="M0,540 L${width},540 L${width},560 L0,575 Z" fill="#5a5030"/>
</svg>`
}

/** A small thumbnail (short edge 360 px): kept by default, rejected by `minShortEdge: 512`. */
export function smallThumbnail(seed) {
  const svg = meadowTrees(seed)
  return svg.replace('width="1024" height="768"', 'width="480" height="360"')
}

/** A wide panorama (4:1): kept by default, rejected by `maxAspectRatio: 2`. */
export function panorama(seed) {
  const random = createRandom(seed)
  const width = 2400
  const height = 600
  const ridges = [
    ['#8aa0b8', 260, 80],
    ['#6c819a', 330, 60],
    ['#4f6478', 400, 40],
  ]
    .map(
      ([color, base, amp]) =>
        `<path d="${ridgePath(ridge(random, width, base, amp, 0.55, 8), height)}" fill="${color}"/>`,
    )
    .join('')
  const trees = Array.from({ length: 120 }, () =>
    conifer(
      random,
      random.range(0, width),
      random.range(480, 600),
      random.range(40, 90),
      random.pick(['#1f3b2a', '#2a4a33', '#17301f']),
    ),
  ).join('')
  return `${svgOpen(width, height)}
  <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#4d86c6"/><stop offset="1" stop-color="#e3eef7"/></linearGradient></defs>
  <rect width="${width}" height="${height}" fill="url(#sky)"/>
  ${ridges}
  <rect y="470" width="${width}" height="130" fill="#3c5a36"/>
  ${trees}
</svg>`
}
