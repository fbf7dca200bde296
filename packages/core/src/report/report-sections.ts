import type { TelemetryDigest } from '../telemetry/telemetry-digest.js'
import { escapeHtml } from './escape-html.js'
import { formatMs, graphSvg } from './graph-svg.js'
import type { ReportModel } from './report-model.js'
import { barChart, columnChart, COLORS, formatNumber, lineChart, type Series } from './svg-charts.js'

type Model = Omit<ReportModel, 'thumbnails'> & { thumbnails: Map<string, string> }

export const section = (id: string, title: string, body: string, note = '') =>
  `<section id="${id}"><h2>${escapeHtml(title)}</h2>${note ? `<p class="note">${note}</p>` : ''}${body}</section>`

const table = (header: string[], rows: Array<Array<string | number>>, className = '') =>
  `<table${className ? ` class="${className}"` : ''}><thead><tr>${header.map((cell) => `<th>${escapeHtml(cell)}</th>`).join('')}</tr></thead><tbody>${rows
    .map(
      (row) =>
        `<tr>${row.map((cell) => (typeof cell === 'number' ? `<td class="num">${cell.toLocaleString('en-US')}</td>` : `<td>${escapeHtml(cell)}</td>`)).join('')}</tr>`,
    )
    .join('')}</tbody></table>`

/** Outcome counts: report.json when the last session ended, else the latest telemetry. */
export function outcomesOf(model: Model) {
  const progress = model.digest.progress
  const outcomes = model.report?.outcomes ?? {
    ok: progress.ok,
    rejected: progress.rejected,
    error: progress.error,
    interrupted: progress.interrupted,
  }
  return { ...outcomes, done: model.report?.input ?? progress.done, total: model.report?.expected ?? progress.total }
}

export function summarySection(model: Model): string {
  const { digest, report } = model
  const outcomes = outcomesOf(model)
  const sessions = digest.sessions
    .map(
      (session, index) =>
        `session ${index}: started ${session.startedAt}, ${session.status === 'running' ? 'did not end (killed, or still running)' : session.status}`,
    )
    .join('<br>')
  const rows: Array<[string, string | number]> = [
    ['pipeline', `${digest.pipeline.name} (${digest.pipeline.file})`],
    ['run directory', model.runDir],
    ['status', report ? report.status : `unfinished: figures as of ${digest.updatedAt}`],
    ['items', `${outcomes.done}${outcomes.total === undefined ? '' : ` of ${outcomes.total}`}`],
    [
      'kept / rejected / error / interrupted',
      `${outcomes.ok} / ${outcomes.rejected} / ${outcomes.error} / ${outcomes.interrupted}`,
    ],
  ]
  if (report) rows.push(['wall time', `${(report.wallMs / 1000).toFixed(1)} s (${report.itemsPerSecond} items/s)`])
  return section(
    'summary',
    `Run of ${digest.pipeline.name}`,
    `<dl>${rows.map(([key, value]) => `<dt>${escapeHtml(key)}</dt><dd data-field="${escapeHtml(key)}">${escapeHtml(value)}</dd>`).join('')}</dl><p class="note">${sessions}</p>`,
  )
}

export function graphSection(model: Model): string {
  return section(
    'graph',
    'Pipeline graph',
    `<div class="scroll">${graphSvg(model.digest)}</div>`,
    'Per node over every session: ok (done or reused from the journal), skipped by <code>when</code>, rejected, failed; mean and 95th-percentile latency (upper bucket bound) of the calls that ran.',
  )
}

export function funnelSection(model: Model): string {
  const outcomes = outcomesOf(model)
  const rows: Array<{ label: string; segments: Array<{ value: number; color: string; label: string }> }> = []
  if (outcomes.total !== undefined)
    rows.push({ label: 'input', segments: [{ value: outcomes.total, color: '#455a64', label: 'input' }] })
  rows.push({
    label: 'with an outcome',
    segments: [{ value: outcomes.done, color: '#546e7a', label: 'with an outcome' }],
  })
  for (const [id, node] of Object.entries(model.digest.nodes))
    if (node.counts.rejected > 0)
      rows.push({
        label: `rejected by ${id}`,
        segments: [{ value: node.counts.rejected, color: COLORS.rejected, label: 'rejected' }],
      })
  rows.push({ label: 'error', segments: [{ value: outcomes.error, color: COLORS.error, label: 'error' }] })
  if (outcomes.interrupted > 0)
    rows.push({
      label: 'interrupted',
      segments: [{ value: outcomes.interrupted, color: COLORS.interrupted, label: 'interrupted' }],
    })
  rows.push({ label: 'kept', segments: [{ value: outcomes.ok, color: COLORS.ok, label: 'kept' }] })
  return section(
    'funnel',
    'Outcomes',
    `${barChart({ title: 'From input to kept items', rows })}${table(['kept', 'rejected', 'error', 'interrupted'], [[outcomes.ok, outcomes.rejected, outcomes.error, outcomes.interrupted]], 'outcomes')}`,
  )
}

/** x: seconds since the run's first point; one series per session so resumed sessions do not join across the gap. */
function perSession<T>(
  model: Model,
  value: (point: ReportModel['points'][number], previous: ReportModel['points'][number] | undefined) => T | undefined,
) {
  const origin = model.points[0]?.at ?? 0
  const sessions = new Map<number, Array<[number, T]>>()
  let previous: ReportModel['points'][number] | undefined
  for (const point of model.points) {
    if (previous && previous.session !== point.session) previous = undefined
    const y = value(point, previous)
    if (y !== undefined) {
      let points = sessions.get(point.session)
      if (!points) sessions.set(point.session, (points = []))
      points.push([(point.at - origin) / 1000, y])
    }
    previous = point
  }
  return sessions
}

export function throughputSection(model: Model): string {
  if (model.points.length < 2) return section('throughput', 'Items per second', '<p>Not enough samples yet.</p>')
  const rates = perSession(model, (point, previous) =>
    previous && point.t > previous.t ? (point.done - previous.done) / (point.t - previous.t) : undefined,
  )
  const done = perSession(model, (point) => point.done)
  const series: Series[] = [...rates].map(([session, points], index) => ({
    name: rates.size > 1 ? `items/s (session ${session})` : 'items/s',
    color: COLORS.series[index % COLORS.series.length]!,
    points: points,
  }))
  const cumulative: Series[] = [...done].map(([session, points], index) => ({
    name: done.size > 1 ? `items done (session ${session})` : 'items done',
    color: COLORS.series[(index + 2) % COLORS.series.length]!,
    points: points,
  }))
  return section(
    'throughput',
    'Items per second',
    lineChart({ title: 'Items finished per second', series, xLabel: 'seconds since start', yLabel: 'items/s' }) +
      lineChart({ title: 'Items with an outcome', series: cumulative, xLabel: 'seconds since start', yLabel: 'items' }),
    `${model.points.length} samples (every second at first, then less often on long runs).`,
  )
}

export function endpointsSection(model: Model): string {
  const hosts = [...new Set(model.points.flatMap((point) => Object.keys(point.endpoints)))]
  const modelsOf = (host: string) =>
    Object.entries(model.digest.inference.models)
      .filter(([, report]) => report.endpoints.some((endpoint) => endpoint.host === host))
      .map(([name]) => name)
  const charts = hosts.map((host) => {
    const read = (key: 'inFlight' | 'limit' | 'queued') => perSession(model, (point) => point.endpoints[host]?.[key])
    const series: Series[] = []
    for (const [key, color, dashed] of [
      ['inFlight', COLORS.series[0]!, false],
      ['limit', COLORS.series[1]!, true],
      ['queued', COLORS.series[2]!, false],
    ] as const)
      for (const [session, points] of read(key))
        series.push({
          name: `${key === 'inFlight' ? 'in flight' : key === 'limit' ? 'adaptive limit' : 'queued'}${session > 0 ? ` (session ${session})` : ''}`,
          color,
          dashed,
          points,
        })
    return lineChart({
      title: `${host} (${modelsOf(host).join(', ') || 'no model'})`,
      series,
      xLabel: 'seconds since start',
      yLabel: 'requests',
    })
  })
  const waits = Object.entries(model.digest.queueWaits).map(([host, wait]) => [
    host,
    wait.count,
    formatMs(wait.mean),
    formatMs(wait.p95),
    formatMs(wait.max),
  ])
  const retries = model.digest.retries.map((retry) => [retry.model, retry.endpoint, retry.cause, retry.count])
  return section(
    'endpoints',
    'Endpoints: requests in flight and the adaptive limit',
    charts.join('') +
      (waits.length > 0
        ? `<h3>Queue waits (requests that waited for a slot)</h3>${table(['endpoint', 'waited', 'mean', 'p95', 'max'], waits)}`
        : '<p>No request waited for a slot.</p>') +
      (retries.length > 0
        ? `<h3>Retries by cause</h3>${table(['model', 'endpoint', 'cause', 'retries'], retries)}`
        : '<p>No retries.</p>'),
  )
}

export function latencySection(model: Model): string {
  const { digest } = model
  const labels = [
    ...digest.latencyBoundsMs.map((bound) => `≤${formatMs(bound)}`),
    `>${formatMs(digest.latencyBoundsMs.at(-1)!)}`,
  ]
  const charts = Object.entries(digest.nodes)
    .filter(([, node]) => node.buckets.some((count) => count > 0))
    .map(([id, node]) => {
      let last = node.buckets.length - 1
      while (last > 0 && node.buckets[last] === 0) last--
      let first = 0
      while (first < last && node.buckets[first] === 0) first++
      const bins = node.buckets.slice(first, last + 1).map((value, index) => ({ label: labels[first + index]!, value }))
      return columnChart({ title: id, bins })
    })
  return section(
    'latency',
    'Latency per node',
    `<div class="multiples">${charts.join('')}</div>`,
    'Wall time of each node call (retries included), in buckets.',
  )
}

const money = (value: { amount: number; currency: string } | undefined) =>
  value ? `${value.amount.toFixed(4)} ${value.currency}` : '-'

export function costSection(model: Model): string {
  const inference = model.report?.inference ?? model.digest.inference
  const rows: Array<Array<string | number>> = []
  const tokenRows: Array<{ label: string; segments: Array<{ value: number; color: string; label: string }> }> = []
  for (const [node, byModel] of Object.entries(inference.nodes))
    for (const [name, usage] of Object.entries(byModel)) {
      rows.push([
        node,
        name,
        usage.requests,
        usage.cachedAnswers,
        usage.retries,
        usage.promptTokens,
        usage.completionTokens,
        money(usage.cost.tokens),
        money(usage.cost.gpu),
      ])
      tokenRows.push({
        label: `${node} (${name})`,
        segments: [
          { value: usage.promptTokens, color: COLORS.series[0]!, label: 'prompt tokens' },
          { value: usage.completionTokens, color: COLORS.series[1]!, label: 'completion tokens' },
        ],
      })
    }
  const totals = (byCurrency: Record<string, number>) =>
    Object.entries(byCurrency)
      .map(([currency, amount]) => `${amount.toFixed(4)} ${currency}`)
      .join(' + ') || '-'
  const models = Object.entries(inference.models).map(([name, report]) => [
    name,
    report.servedModel,
    report.requests,
    report.promptTokens,
    report.completionTokens,
    report.busySeconds,
    report.gpuHours ?? '-',
    money(report.cost.tokens),
    money(report.cost.gpu),
  ])
  const assumptions = inference.cost.assumptions.map((line) => `<li>${escapeHtml(line)}</li>`).join('')
  return section(
    'cost',
    'Tokens and cost',
    `${table(['node', 'model', 'requests', 'cached', 'retries', 'prompt tok', 'completion tok', 'cost (tokens)', 'cost (GPU)'], rows, 'usage')}` +
      `<h3>By model</h3>${table(['model', 'served as', 'requests', 'prompt tok', 'completion tok', 'busy s', 'GPU-hours', 'cost (tokens)', 'cost (GPU)'], models)}` +
      `<p class="totals">Total at token prices: <b data-field="cost-tokens">${escapeHtml(totals(inference.cost.byTokens))}</b>; as GPU time: <b data-field="cost-gpu">${escapeHtml(totals(inference.cost.byGpu))}</b></p>` +
      (assumptions
        ? `<h3>Assumptions</h3><ul class="assumptions">${assumptions}</ul>`
        : '<p>No prices or GPU costs configured: cost is not computed.</p>') +
      (tokenRows.length > 0 ? barChart({ title: 'Tokens by node and model', rows: tokenRows, labelWidth: 240 }) : ''),
    model.report ? '' : 'This session so far (the run has not ended).',
  )
}

export function distributionsSection(digest: TelemetryDigest): string {
  const charts = digest.facets
    .filter((facet) =>
      facet.labels.some((_, index) => facet.ok[index]! + facet.rejected[index]! + facet.error[index]! > 0),
    )
    .map((facet) => {
      const counted = facet.ok.concat(facet.rejected, facet.error).reduce((sum, count) => sum + count, 0)
      return barChart({
        title: `${facet.path} (${counted} items)`,
        rows: facet.labels.map((label, index) => ({
          label,
          segments: [
            { value: facet.ok[index]!, color: COLORS.ok, label: 'kept' },
            { value: facet.rejected[index]!, color: COLORS.rejected, label: 'rejected' },
            { value: facet.error[index]!, color: COLORS.error, label: 'error' },
          ],
        })),
      })
    })
  return section(
    'distributions',
    'Distributions',
    charts.length > 0
      ? `<div class="multiples">${charts.join('')}</div>`
      : '<p>No node declares categorical outputs.</p>',
    "Every output a node declares as a set of values (the router's domain, the judge's score per metric...) or a bounded number, counted over finished items.",
  )
}

export function gallerySection(model: Model): string {
  const { gallery } = model.digest
  const categories = new Set(
    model.digest.facets.filter((facet) => facet.kind === 'category').map((facet) => facet.path),
  )
  const cards = gallery.items.map((item) => {
    const thumbnail = model.thumbnails.get(item.id)
    const chips = Object.entries(item.facets)
      .filter(([path]) => categories.has(path) || path.endsWith('.mean'))
      .map(
        ([path, value]) =>
          `<span class="chip" title="${escapeHtml(path)}">${escapeHtml(path.split('.').slice(1).join('.'))}: ${escapeHtml(value)}</span>`,
      )
      .join('')
    return `<article class="card ${item.outcome}" data-id="${escapeHtml(item.id)}">${thumbnail ? `<img src="${thumbnail}" alt="${escapeHtml(item.id)}">` : '<div class="noimg">no image</div>'}<div><h4>${escapeHtml(item.id)} <span class="badge ${item.outcome}">${item.outcome === 'ok' ? 'kept' : 'rejected'}</span></h4><div class="chips">${chips}</div>${item.text ? `<p class="caption">${escapeHtml(item.text)}</p>` : ''}${item.rejection ? `<p class="why">rejected by ${escapeHtml(item.rejection.node)}: ${escapeHtml(item.rejection.reason)}</p>` : ''}</div></article>`
  })
  return section(
    'gallery',
    'Gallery of kept and rejected items',
    cards.length > 0 ? `<div class="gallery">${cards.join('')}</div>` : '<p>No finished item yet.</p>',
    `A uniform random sample of at most 24 kept (of ${gallery.seen.ok}) and 24 rejected (of ${gallery.seen.rejected}) items, so the page stays under 5 MB whatever the run's size; thumbnails are 112 px WebP made when the page is written; captions are cut at 600 characters.${model.digest.textField ? ` Caption: <code>${escapeHtml(`${model.digest.textField.node}.${model.digest.textField.key}`)}</code>.` : ''}`,
  )
}

export function errorsSection(digest: TelemetryDigest): string {
  const render = (groups: TelemetryDigest['errors']['items']) =>
    groups
      .map(
        (group) =>
          `<div class="error-group" data-code="${escapeHtml(group.code)}"><h4>${escapeHtml(group.code)}: <span class="count">${group.count}</span> (${escapeHtml(
            Object.entries(group.nodes)
              .map(([node, count]) => `${node} ${count}`)
              .join(', '),
          )})</h4>${group.hint ? `<p class="hint">${escapeHtml(group.hint)}</p>` : ''}<ul>${group.examples.map((example) => `<li><code>${escapeHtml(example.id)}</code> (${escapeHtml(example.node)}): ${escapeHtml(example.message)}</li>`).join('')}</ul></div>`,
      )
      .join('')
  const items = digest.errors.items
  const failures = digest.errors.nodeFailures
  return section(
    'errors',
    'Errors by code',
    (items.length > 0 ? render(items) : '<p>No item ended as an error.</p>') +
      (failures.length > 0
        ? `<h3>Node failures the items went on without (onError: continue)</h3>${render(failures)}`
        : ''),
    'Every item that ended as an error is a line of errors.jsonl; <code>dataflow inspect &lt;run dir&gt; --item &lt;id&gt;</code> shows one in full.',
  )
}

export { formatNumber }
