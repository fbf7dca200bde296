import type { RunReport } from '@dataflow/core'
import { table } from './summary-table.js'
import { SUMMARY_COLUMNS, wrap } from './wrap-text.js'

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`)
const sum = (values: Record<string, number>) => Object.values(values).reduce((total, value) => total + value, 0)
const count = (value: number) => value.toLocaleString('en-US')
const totals = (byCurrency: Record<string, number>) =>
  Object.entries(byCurrency)
    .map(([currency, amount]) => `${amount.toFixed(4)} ${currency}`)
    .join(' + ') || '-'

/** The inference part of the summary in 100 columns: per model and per endpoint; `--wide` prints the full tables. */
export function formatCompactInference(report: RunReport['inference']): string {
  const models = Object.entries(report.models)
  if (models.length === 0) return 'No model was called.'
  const lines = [
    'Models',
    table(
      ['model', 'served as', 'requests', 'cached', 'retries', 'errors', 'prompt tok', 'compl. tok'],
      models.map(([name, model]) => [
        name,
        cut(model.servedModel, 28),
        count(model.requests),
        count(model.cachedAnswers),
        count(model.retries),
        count(sum(model.errors)),
        count(model.promptTokens),
        count(model.completionTokens),
      ]),
    ),
    '',
    'Endpoints',
    table(
      ['endpoint', 'models', 'limit now (range)', 'peak in flight', 'back-offs', 'busy s'],
      [...new Set(models.flatMap(([, model]) => model.endpoints.map((endpoint) => endpoint.host)))].map((host) => {
        const users = models.filter(([, model]) => model.endpoints.some((endpoint) => endpoint.host === host))
        const endpoint = users[0]![1].endpoints.find((candidate) => candidate.host === host)!
        return [
          cut(host, 30),
          cut(users.map(([name]) => name).join(','), 16),
          `${endpoint.limit.current} (${endpoint.limit.min}-${endpoint.limit.max})`,
          endpoint.pool.peakInFlight,
          endpoint.limit.decreases,
          endpoint.busySeconds.toFixed(1),
        ]
      }),
    ),
    '',
    `Cost at token prices: ${totals(report.cost.byTokens)}; as GPU time: ${totals(report.cost.byGpu)}`,
  ]
  const fatal = models.flatMap(([, model]) => (model.fatal ? [wrap(`Stopped: ${model.fatal.message}`)] : []))
  lines.push(...fatal)
  if (report.cost.assumptions.length > 0)
    lines.push('Assumptions:', ...report.cost.assumptions.map((line) => wrap(`  - ${line}`, SUMMARY_COLUMNS, '    ')))
  return lines.join('\n')
}
