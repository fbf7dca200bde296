/** Bumped when the tables change incompatibly; a journal of another version is refused. */
export const JOURNAL_VERSION = 1

/**
 * WAL pages before SQLite copies the WAL back into the database (which fsyncs): 64 MiB, so
 * that the fsync is paid once per tens of thousands of items rather than every few hundred.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 16384

/**
 * The run journal's tables. Node results are appended in commit order (rowid), so a commit
 * writes only new pages; `node_results_item` finds an item's results. `seq` is an item's position in the input (after --shard and --limit),
 * `node` a row of `nodes` (a node id of the pipeline), `fp` a row of `fingerprints`.
 */
export const JOURNAL_SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS nodes (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS fingerprints (
  id INTEGER PRIMARY KEY, node INTEGER NOT NULL, hash TEXT NOT NULL, parts TEXT NOT NULL, UNIQUE (node, hash)
);
CREATE TABLE IF NOT EXISTS items (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  outcome TEXT,
  ord INTEGER,
  item TEXT,
  rejection TEXT,
  error TEXT,
  error_code TEXT,
  failures TEXT,
  finished_at REAL
);
CREATE INDEX IF NOT EXISTS items_id ON items (id);
CREATE INDEX IF NOT EXISTS items_ord ON items (ord);
CREATE TABLE IF NOT EXISTS node_results (
  row INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL,
  node INTEGER NOT NULL,
  fp INTEGER NOT NULL,
  status TEXT NOT NULL,
  output TEXT,
  error TEXT,
  attempts INTEGER NOT NULL,
  started_at REAL NOT NULL,
  ms REAL NOT NULL,
  metrics TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS node_results_item ON node_results (seq, node);
CREATE TABLE IF NOT EXISTS checkpoints (
  sink TEXT PRIMARY KEY, fp TEXT NOT NULL, ord INTEGER NOT NULL, value TEXT
) WITHOUT ROWID;
`
