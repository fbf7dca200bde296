/** Bumped when the tables change incompatibly; a journal of another version is refused. */
export const JOURNAL_VERSION = 2

/**
 * WAL pages before SQLite copies the WAL back into the database (which fsyncs): 64 MiB, so
 * that the fsync is paid once per tens of thousands of items rather than every few hundred.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 16384

/**
 * The run journal's tables. Node results are appended in commit order (rowid), so a commit
 * writes only new pages; `node_results_item` finds an item's results. `seq` is an item's
 * position in the input (after --shard and --limit), `node` a row of `nodes` (a node id of the
 * pipeline), `fp` a row of `fingerprints`, `models` a row of `model_sets` (the served model names
 * a node's answers came from). JSON texts of 256 bytes and more (outputs, items, rejections) are
 * stored deflated as BLOBs with a preset dictionary per field from `dictionaries`
 * (journal-codec.ts); errors stay text; metrics are columns, so reports sum them in SQL.
 */
export const JOURNAL_SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS nodes (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS fingerprints (
  id INTEGER PRIMARY KEY, node INTEGER NOT NULL, hash TEXT NOT NULL, parts TEXT NOT NULL, UNIQUE (node, hash)
);
CREATE TABLE IF NOT EXISTS model_sets (id INTEGER PRIMARY KEY, names TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS dictionaries (id INTEGER PRIMARY KEY, field INTEGER NOT NULL, bytes BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS items (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  outcome TEXT,
  ord INTEGER,
  item,
  rejection,
  error,
  error_code TEXT,
  failures,
  finished_at INTEGER
);
CREATE INDEX IF NOT EXISTS items_id ON items (id);
CREATE INDEX IF NOT EXISTS items_ord ON items (ord);
CREATE TABLE IF NOT EXISTS node_results (
  row INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL,
  node INTEGER NOT NULL,
  fp INTEGER NOT NULL,
  status TEXT NOT NULL,
  output,
  error,
  attempts INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  ms REAL NOT NULL,
  requests INTEGER,
  prompt_tokens INTEGER,
  completion_tokens INTEGER,
  cached INTEGER,
  models INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS node_results_item ON node_results (seq, node);
CREATE TABLE IF NOT EXISTS checkpoints (
  sink TEXT PRIMARY KEY, fp TEXT NOT NULL, ord INTEGER NOT NULL, value TEXT
) WITHOUT ROWID;
`
