import Database from 'better-sqlite3'
const N = Number(process.argv[2] ?? 300000)
const cacheMb = Number(process.argv[3] ?? 16)
const key = (i) => `item-${(i * 2654435761) % 4294967296}`
{
  const t0 = performance.now(); const s = new Map()
  for (let i = 0; i < N; i++) { const k = key(i); if (!s.has(k)) s.set(k, i) }
  console.log('Map', ((performance.now() - t0) * 1000 / N).toFixed(2), 'us/op')
}
for (const mode of ['autocommit', 'batched']) {
  const db = new Database('')
  db.pragma('journal_mode = OFF'); db.pragma('synchronous = OFF'); db.pragma(`cache_size = -${cacheMb * 1024}`); db.pragma('locking_mode = EXCLUSIVE')
  db.exec('CREATE TABLE k (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID')
  const ins = db.prepare('INSERT OR IGNORE INTO k (key, value) VALUES (?, ?)')
  const t0 = performance.now()
  let inTx = 0
  for (let i = 0; i < N; i++) {
    if (mode === 'batched' && inTx === 0) db.exec('BEGIN')
    ins.run(key(i), String(i))
    if (mode === 'batched' && ++inTx === 1000) { db.exec('COMMIT'); inTx = 0 }
  }
  if (inTx) db.exec('COMMIT')
  const cpu = process.cpuUsage()
  console.log(mode, ((performance.now() - t0) * 1000 / N).toFixed(2), 'us/op', 'rss', (process.memoryUsage().rss / 1e6).toFixed(0), 'MB')
  db.close()
}
