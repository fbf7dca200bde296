import { escapeHtml } from './escape-html.js'
import type { ReportModel } from './report-model.js'
import {
  costSection,
  distributionsSection,
  endpointsSection,
  errorsSection,
  funnelSection,
  gallerySection,
  graphSection,
  latencySection,
  summarySection,
  throughputSection,
} from './report-sections.js'

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2933;background:#f5f7f9}
header{background:#263238;color:#eceff1;padding:14px 24px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;color:#b0bec5}
nav{padding:8px 24px;background:#eceff1;position:sticky;top:0;z-index:1}nav a{margin-right:14px;color:#1565c0;text-decoration:none}
main{padding:0 24px 40px;max-width:1400px}section{background:#fff;border-radius:6px;padding:12px 18px;margin:16px 0;box-shadow:0 1px 2px #0002}
h2{font-size:17px;margin:4px 0 10px}h3{font-size:14px;margin:14px 0 6px}h4{margin:0 0 4px;font-size:13px}
.note{color:#607d8b;font-size:12px}dl{display:grid;grid-template-columns:max-content auto;gap:2px 16px;margin:0}dt{color:#607d8b}dd{margin:0}
table{border-collapse:collapse;margin:6px 0;font-size:13px}th,td{padding:3px 10px;border-bottom:1px solid #e0e6ea;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:8px 0}figcaption{font-weight:600;font-size:13px;margin-bottom:2px}svg.chart text{font-size:11px;fill:#455a64}svg.chart text.small{font-size:9px}svg.chart text.axis{font-size:11px;fill:#78909c}
svg.chart .grid{stroke:#eceff1}.legend{font-size:12px;color:#455a64}.key{margin-right:12px}.key i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
.multiples{display:flex;flex-wrap:wrap;gap:4px 24px}.scroll{overflow-x:auto}
svg.graph .edge{fill:none;stroke:#b0bec5;stroke-width:1.2}svg.graph rect{fill:#fafcfd;stroke-width:1.5}svg.graph text{font-size:11px;fill:#263238}svg.graph text.name{font-weight:600;font-size:12px}svg.graph text.small{font-size:10px;fill:#546e7a}
.gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:10px}.card{display:flex;gap:10px;border:1px solid #e0e6ea;border-left:4px solid #2e7d32;border-radius:4px;padding:8px}.card.rejected{border-left-color:#ef6c00}
.card img,.card .noimg{width:112px;height:112px;object-fit:contain;flex:none;background:#eceff1}.card .noimg{display:flex;align-items:center;justify-content:center;color:#90a4ae;font-size:11px}
.badge{font-size:11px;padding:1px 6px;border-radius:8px;color:#fff;background:#2e7d32}.badge.rejected{background:#ef6c00}
.chip{display:inline-block;font-size:11px;background:#eceff1;border-radius:8px;padding:0 6px;margin:1px 2px 1px 0}.caption{font-size:12px;margin:4px 0;max-height:7.5em;overflow:auto}.why{font-size:12px;color:#bf360c;margin:2px 0}
.error-group{margin:8px 0}.error-group .hint{color:#37474f;background:#fffde7;padding:2px 6px;font-size:12px}.error-group ul{margin:2px 0;font-size:12px}
`

const SECTIONS: Array<[string, string]> = [
  ['summary', 'Run'],
  ['graph', 'Graph'],
  ['funnel', 'Outcomes'],
  ['throughput', 'Items/s'],
  ['endpoints', 'Endpoints'],
  ['latency', 'Latency'],
  ['cost', 'Tokens & cost'],
  ['distributions', 'Distributions'],
  ['gallery', 'Gallery'],
  ['errors', 'Errors'],
]

/** report.html: one self-contained page (inline CSS and SVG, thumbnails as data URLs; no script, no network). */
export function renderReport(model: ReportModel): string {
  const { digest } = model
  const title = `${digest.pipeline.name}: run report`
  const body = [
    summarySection(model),
    graphSection(model),
    funnelSection(model),
    throughputSection(model),
    endpointsSection(model),
    latencySection(model),
    costSection(model),
    distributionsSection(digest),
    gallerySection(model),
    errorsSection(digest),
  ].join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header><h1>${escapeHtml(title)}</h1><p>${escapeHtml(model.runDir)} · written ${escapeHtml(new Date().toISOString())}${model.unfinished ? ' · the run has not ended: figures as of its last telemetry write' : ''}</p></header>
<nav>${SECTIONS.map(([id, label]) => `<a href="#${id}">${label}</a>`).join('')}</nav>
<main>
${body}
</main></body></html>
`
}
