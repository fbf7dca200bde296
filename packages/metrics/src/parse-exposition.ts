/**
 * Samples of a Prometheus text exposition (a scrape of `/metrics`), keyed `name{a="x",b="y"}` with
 * labels sorted by name: for tests and for a coordinator that reads its workers' endpoints.
 */
export function parseExposition(text: string): Map<string, number> {
  const samples = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!match) throw new Error(`not an exposition line: ${line}`)
    const labels = [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)]
      .map(([, name, value]) => `${name}="${value}"`)
      .sort()
    samples.set(`${match[1]}{${labels.join(',')}}`, Number(match[3]))
  }
  return samples
}

/** The key of one sample: `series('dataflow_items_total', { outcome: 'ok' })`. */
export function series(name: string, labels: Record<string, string> = {}): string {
  const parts = Object.entries(labels)
    .map(([label, value]) => `${label}="${value}"`)
    .sort()
  return `${name}{${parts.join(',')}}`
}
