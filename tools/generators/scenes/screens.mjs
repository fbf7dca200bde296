import { escapeXml } from '../random.mjs'

const open = (width, height, background) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="${width}" height="${height}" fill="${background}"/>`
const text = (
  x,
  y,
  value,
  { size = 14, anchor = 'start', weight = 'normal', color = '#222', family = 'DejaVu Sans' } = {},
) =>
  `<text x="${x}" y="${y}" font-family="${family}" font-size="${size}" font-weight="${weight}" fill="${color}" text-anchor="${anchor}" xml:space="preserve">${escapeXml(value)}</text>`

function browserChrome(width, url) {
  return (
    `<rect width="${width}" height="72" fill="#e5e7eb"/><circle cx="24" cy="20" r="7" fill="#ef4444"/><circle cx="46" cy="20" r="7" fill="#f59e0b"/><circle cx="68" cy="20" r="7" fill="#22c55e"/>` +
    `<rect x="100" y="8" width="220" height="26" rx="6" fill="#f9fafb"/>` +
    text(116, 26, 'Sign in · Ledgerly', { size: 13, color: '#374151' }) +
    `<rect x="16" y="40" width="${width - 32}" height="26" rx="13" fill="#ffffff"/>` +
    text(40, 58, url, { size: 13, color: '#4b5563' })
  )
}

/** A web sign-in form: inputs, a checkbox, primary and secondary buttons, a validation message. */
export function loginForm() {
  const width = 1280
  const height = 800
  let out = open(width, height, '#f3f4f6') + browserChrome(width, 'https://app.ledgerly.example/login')
  out += `<rect x="0" y="72" width="${width}" height="64" fill="#ffffff"/><line x1="0" x2="${width}" y1="136" y2="136" stroke="#e5e7eb"/>`
  out += text(40, 113, 'Ledgerly', { size: 24, weight: 'bold', color: '#4f46e5' })
  ;['Product', 'Pricing', 'Docs', 'Support'].forEach(
    (item, i) => (out += text(820 + i * 100, 112, item, { size: 16, color: '#374151' })),
  )
  out += `<rect x="440" y="180" width="400" height="540" rx="14" fill="#ffffff" stroke="#e5e7eb"/>`
  out += text(640, 240, 'Welcome back', { size: 28, weight: 'bold', anchor: 'middle', color: '#111827' })
  out += text(640, 270, 'Sign in to your workspace', { size: 15, anchor: 'middle', color: '#6b7280' })
  out += text(476, 320, 'Email address', { size: 14, weight: 'bold', color: '#374151' })
  out +=
    `<rect x="476" y="332" width="328" height="44" rx="8" fill="#fff" stroke="#d1d5db"/>` +
    text(490, 360, 'maria.santos@example.com', { size: 15, color: '#111827' })
  out += text(476, 408, 'Password', { size: 14, weight: 'bold', color: '#374151' })
  out +=
    `<rect x="476" y="420" width="328" height="44" rx="8" fill="#fff" stroke="#ef4444" stroke-width="2"/>` +
    text(490, 448, '••••••', { size: 18, color: '#111827' })
  out += text(476, 484, 'Password must be at least 8 characters.', { size: 13, color: '#dc2626' })
  out +=
    `<rect x="476" y="504" width="18" height="18" rx="4" fill="#4f46e5"/><path d="M480,513 l4,4 l7,-8" stroke="#fff" stroke-width="2.5" fill="none"/>` +
    text(504, 519, 'Remember me', { size: 14, color: '#374151' })
  out += text(804, 519, 'Forgot password?', { size: 14, anchor: 'end', color: '#4f46e5' })
  out +=
    `<rect x="476" y="548" width="328" height="46" rx="8" fill="#4f46e5"/>` +
    text(640, 577, 'Sign in', { size: 16, weight: 'bold', anchor: 'middle', color: '#fff' })
  out +=
    `<rect x="476" y="608" width="328" height="46" rx="8" fill="#fff" stroke="#d1d5db"/>` +
    text(640, 637, 'Continue with SSO', { size: 16, anchor: 'middle', color: '#111827' })
  out += text(640, 690, "Don't have an account? Create one", { size: 14, anchor: 'middle', color: '#6b7280' })
  return `${out}</svg>`
}

/** An analytics dashboard: side navigation, KPI cards, a sparkline chart, a table and buttons. */
export function dashboard() {
  const width = 1440
  const height = 900
  let out = open(width, height, '#f8fafc')
  out +=
    `<rect width="240" height="${height}" fill="#111827"/>` +
    text(32, 56, '◆ Orbit', { size: 24, weight: 'bold', color: '#fff' })
  ;['Overview', 'Orders', 'Customers', 'Products', 'Reports', 'Settings'].forEach((item, i) => {
    if (i === 0) out += `<rect x="16" y="${100 + i * 52}" width="208" height="40" rx="8" fill="#374151"/>`
    out += text(44, 126 + i * 52, item, { size: 16, color: i === 0 ? '#fff' : '#9ca3af' })
  })
  out += `<rect x="240" width="${width - 240}" height="72" fill="#fff"/><line x1="240" x2="${width}" y1="72" y2="72" stroke="#e5e7eb"/>`
  out += text(280, 46, 'Overview', { size: 22, weight: 'bold', color: '#111827' })
  out +=
    `<rect x="900" y="18" width="320" height="38" rx="8" fill="#f3f4f6"/>` +
    text(916, 43, 'Search orders, customers…', { size: 14, color: '#9ca3af' })
  out +=
    `<rect x="1240" y="18" width="150" height="38" rx="8" fill="#2563eb"/>` +
    text(1315, 43, '+ New order', { size: 15, weight: 'bold', anchor: 'middle', color: '#fff' })
  const cards = [
    ['Revenue', '$48,294', '+12.4%', '#16a34a'],
    ['Orders', '1,286', '+4.1%', '#16a34a'],
    ['Refunds', '23', '-8.0%', '#dc2626'],
    ['Conversion', '3.2%', '+0.3 pt', '#16a34a'],
  ]
  cards.forEach(([label, value, delta, color], i) => {
    const x = 280 + i * 285
    out += `<rect x="${x}" y="100" width="265" height="130" rx="12" fill="#fff" stroke="#e5e7eb"/>`
    out +=
      text(x + 22, 138, label, { size: 15, color: '#6b7280' }) +
      text(x + 22, 185, value, { size: 32, weight: 'bold', color: '#111827' }) +
      text(x + 22, 213, `${delta} vs last month`, { size: 14, color })
  })
  out +=
    `<rect x="280" y="256" width="700" height="330" rx="12" fill="#fff" stroke="#e5e7eb"/>` +
    text(304, 292, 'Revenue, last 30 days', { size: 17, weight: 'bold', color: '#111827' })
  const series = [
    12, 14, 13, 17, 16, 18, 21, 19, 22, 24, 23, 26, 25, 28, 27, 30, 29, 31, 34, 33, 35, 37, 36, 38, 41, 40, 43, 42, 45,
    48,
  ]
  const points = series.map((v, i) => `${(310 + i * 22.5).toFixed(1)},${(560 - v * 5).toFixed(1)}`).join(' ')
  out += `<polyline points="${points} 962.5,560 310,560" fill="#dbeafe" stroke="none"/><polyline points="${points}" fill="none" stroke="#2563eb" stroke-width="3"/>`
  out +=
    `<rect x="1004" y="256" width="396" height="330" rx="12" fill="#fff" stroke="#e5e7eb"/>` +
    text(1028, 292, 'Top products', { size: 17, weight: 'bold', color: '#111827' })
  ;[
    ['Trail Runner X', 342],
    ['City Backpack', 281],
    ['Wool Beanie', 197],
    ['Thermo Bottle', 164],
    ['Rain Shell', 121],
  ].forEach(([name, units], i) => {
    out +=
      text(1028, 336 + i * 48, name, { size: 15, color: '#374151' }) +
      text(1376, 336 + i * 48, `${units} sold`, { size: 15, anchor: 'end', color: '#6b7280' })
    out += `<rect x="1028" y="${344 + i * 48}" width="${units}" height="6" rx="3" fill="#93c5fd"/>`
  })
  out +=
    `<rect x="280" y="610" width="1120" height="260" rx="12" fill="#fff" stroke="#e5e7eb"/>` +
    text(304, 646, 'Recent orders', { size: 17, weight: 'bold', color: '#111827' })
  const rows = [
    ['#10482', 'Ana Costa', 'Paid', '$129.00'],
    ['#10481', 'Liam Chen', 'Pending', '$54.50'],
    ['#10480', 'Sara Okafor', 'Paid', '$310.20'],
    ['#10479', 'Tom Becker', 'Refunded', '$89.99'],
  ]
  rows.forEach((row, r) => {
    const y = 696 + r * 44
    row.forEach((cell, c) => {
      if (c === 2) {
        const color = {
          Paid: ['#dcfce7', '#166534'],
          Pending: ['#fef9c3', '#854d0e'],
          Refunded: ['#fee2e2', '#991b1b'],
        }[cell]
        out +=
          `<rect x="${304 + c * 280}" y="${y - 20}" width="96" height="28" rx="14" fill="${color[0]}"/>` +
          text(352 + c * 280, y, cell, { size: 14, anchor: 'middle', color: color[1] })
      } else out += text(304 + c * 280, y, cell, { size: 15, color: '#374151' })
    })
  })
  return `${out}</svg>`
}

const PYTHON = [
  [
    ['kw', 'import'],
    ['', ' csv'],
  ],
  [
    ['kw', 'from'],
    ['', ' collections '],
    ['kw', 'import'],
    ['', ' Counter'],
  ],
  [],
  [],
  [
    ['kw', 'def'],
    ['fn', ' top_words'],
    ['', '(path: '],
    ['ty', 'str'],
    ['', ', n: '],
    ['ty', 'int'],
    ['', ' = '],
    ['num', '10'],
    ['', ') -> '],
    ['ty', 'list'],
    ['', '[tuple['],
    ['ty', 'str'],
    ['', ', '],
    ['ty', 'int'],
    ['', ']]:'],
  ],
  [
    ['', '    '],
    ['str', '"""Return the n most frequent words of the "text" column."""'],
  ],
  [['', '    counts = Counter()']],
  [
    ['', '    '],
    ['kw', 'with'],
    ['fn', ' open'],
    ['', '(path, newline='],
    ['str', "''"],
    ['', ', encoding='],
    ['str', "'utf-8'"],
    ['', ') '],
    ['kw', 'as'],
    ['', ' handle:'],
  ],
  [
    ['', '        '],
    ['kw', 'for'],
    ['', ' row '],
    ['kw', 'in'],
    ['', ' csv.DictReader(handle):'],
  ],
  [
    ['', '            words = row['],
    ['str', "'text'"],
    ['', '].lower().split()'],
  ],
  [
    ['', '            counts.update(w.strip('],
    ['str', "'.,;:!?'"],
    ['', ') '],
    ['kw', 'for'],
    ['', ' w '],
    ['kw', 'in'],
    ['', ' words)'],
  ],
  [
    ['', '    '],
    ['kw', 'return'],
    ['', ' counts.most_common(n)'],
  ],
  [],
  [],
  [
    ['kw', 'if'],
    ['', ' __name__ == '],
    ['str', "'__main__'"],
    ['', ':'],
  ],
  [
    ['', '    '],
    ['kw', 'for'],
    ['', ' word, count '],
    ['kw', 'in'],
    ['fn', ' top_words'],
    ['', '('],
    ['str', "'reviews.csv'"],
    ['', ', '],
    ['num', '5'],
    ['', '):'],
  ],
  [
    ['', '        '],
    ['fn', 'print'],
    ['', '(f'],
    ['str', "'{word:>12} {count}'"],
    ['', ')'],
  ],
]

const TYPESCRIPT = [
  [
    ['kw', 'import'],
    ['', ' { setTimeout '],
    ['kw', 'as'],
    ['', ' sleep } '],
    ['kw', 'from'],
    ['str', " 'node:timers/promises'"],
  ],
  [],
  [['cm', '/** Retries an async call with exponential backoff and jitter. */']],
  [
    ['kw', 'export async function'],
    ['fn', ' retry'],
    ['', '<'],
    ['ty', 'T'],
    ['', '>('],
  ],
  [
    ['', '  task: () => '],
    ['ty', 'Promise'],
    ['', '<'],
    ['ty', 'T'],
    ['', '>,'],
  ],
  [
    ['', '  attempts = '],
    ['num', '5'],
    ['', ','],
  ],
  [
    ['', '  baseMs = '],
    ['num', '200'],
    ['', ','],
  ],
  [
    ['', '): '],
    ['ty', 'Promise'],
    ['', '<'],
    ['ty', 'T'],
    ['', '> {'],
  ],
  [
    ['', '  '],
    ['kw', 'for'],
    ['', ' ('],
    ['kw', 'let'],
    ['', ' attempt = '],
    ['num', '1'],
    ['', '; ; attempt++) {'],
  ],
  [
    ['', '    '],
    ['kw', 'try'],
    ['', ' {'],
  ],
  [
    ['', '      '],
    ['kw', 'return await'],
    ['', ' task()'],
  ],
  [
    ['', '    } '],
    ['kw', 'catch'],
    ['', ' (error) {'],
  ],
  [
    ['', '      '],
    ['kw', 'if'],
    ['', ' (attempt >= attempts) '],
    ['kw', 'throw'],
    ['', ' error'],
  ],
  [
    ['', '      '],
    ['kw', 'const'],
    ['', ' delay = baseMs * '],
    ['num', '2'],
    ['', ' ** (attempt - '],
    ['num', '1'],
    ['', ')'],
  ],
  [
    ['', '      '],
    ['kw', 'await'],
    ['fn', ' sleep'],
    ['', '(delay / '],
    ['num', '2'],
    ['', ' + Math.'],
    ['fn', 'random'],
    ['', '() * delay / '],
    ['num', '2'],
    ['', ')'],
  ],
  [['', '    }']],
  [['', '  }']],
  [['', '}']],
]

const THEME = {
  kw: '#c678dd',
  fn: '#61afef',
  str: '#98c379',
  num: '#d19a66',
  ty: '#e5c07b',
  cm: '#7f848e',
  '': '#abb2bf',
}

/** A dark code editor: tabs, line numbers, syntax colours, a file tree and a status bar. */
function editor(width, height, { file, tree, lines, language }) {
  let out = open(width, height, '#282c34')
  out +=
    `<rect width="${width}" height="36" fill="#21252b"/>` +
    text(width / 2, 24, `${file} — sample-project — Code`, { size: 13, anchor: 'middle', color: '#9da5b4' })
  out +=
    `<rect y="36" width="230" height="${height - 60}" fill="#21252b"/>` +
    text(16, 64, 'EXPLORER', { size: 12, weight: 'bold', color: '#9da5b4' })
  tree.forEach(
    (entry, i) =>
      (out += text(16 + (entry.startsWith(' ') ? 16 : 0), 92 + i * 24, entry.trim(), {
        size: 13,
        color: entry.trim() === file ? '#ffffff' : '#9da5b4',
      })),
  )
  out +=
    `<rect x="230" y="36" width="${width - 230}" height="34" fill="#21252b"/><rect x="230" y="36" width="190" height="34" fill="#282c34"/>` +
    text(248, 58, file, { size: 13, color: '#e6e6e6' })
  lines.forEach((tokens, i) => {
    const y = 104 + i * 26
    out += text(286, y, String(i + 1), { size: 15, anchor: 'end', color: '#4b5263', family: 'DejaVu Sans Mono' })
    let column = 0
    let line = ''
    for (const [kind, value] of tokens) {
      line += `<tspan x="${306 + column * 9.03}" fill="${THEME[kind]}">${escapeXml(value)}</tspan>`
      column += value.length
    }
    out += `<text y="${y}" font-family="DejaVu Sans Mono" font-size="15" xml:space="preserve">${line}</text>`
  })
  out +=
    `<rect y="${height - 24}" width="${width}" height="24" fill="#4078c0"/>` +
    text(12, height - 7, '⎇ main   ✓ 0 problems', { size: 12, color: '#fff' }) +
    text(width - 12, height - 7, `UTF-8   LF   ${language}`, { size: 12, anchor: 'end', color: '#fff' })
  return `${out}</svg>`
}

export function pythonEditor() {
  return editor(1280, 800, {
    file: 'word_count.py',
    language: 'Python',
    lines: PYTHON,
    tree: ['src', ' word_count.py', ' cleaning.py', 'tests', ' test_word_count.py', 'reviews.csv', 'README.md'],
  })
}

export function typescriptEditor() {
  return editor(1200, 760, {
    file: 'retry.ts',
    language: 'TypeScript',
    lines: TYPESCRIPT,
    tree: ['src', ' retry.ts', ' client.ts', ' index.ts', 'package.json', 'tsconfig.json'],
  })
}
