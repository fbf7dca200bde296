/** A seeded PRNG (mulberry32): the same seed gives the same picture on every machine. */
export function createRandom(seed) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    range: (min, max) => min + (max - min) * next(),
    int: (min, max) => Math.floor(min + (max - min + 1) * next()),
    pick: (items) => items[Math.floor(next() * items.length)],
    /** Roughly normal, mean 0, standard deviation 1. */
    gauss: () => (next() + next() + next() + next() + next() + next() - 3) * Math.SQRT2,
  }
}

/** A ridge line across `width`: midpoint displacement, `roughness` in 0..1. */
export function ridge(random, width, base, amplitude, roughness = 0.55, steps = 7) {
  let points = [base + random.range(-amplitude, amplitude), base + random.range(-amplitude, amplitude)]
  let spread = amplitude
  for (let step = 0; step < steps; step++) {
    const next = []
    for (let i = 0; i < points.length - 1; i++) {
      next.push(points[i], (points[i] + points[i + 1]) / 2 + random.range(-spread, spread))
    }
    next.push(points.at(-1))
    points = next
    spread *= roughness
  }
  return points.map((y, i) => [(i * width) / (points.length - 1), y])
}

/** An SVG path closing a ridge down to the bottom of the picture. */
export function ridgePath(points, bottom) {
  const line = points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`).join(' ')
  return `${line} L${points.at(-1)[0].toFixed(1)},${bottom} L0,${bottom} Z`
}

export const escapeXml = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
