-- Synthetic's shared truth: the latest result per check (what every node serves), a short run log, the nodes.
CREATE SEQUENCE IF NOT EXISTS synthetic_change_seq;

-- One row per check: the latest result (JSON), the last failure, the last outcomes (s/d/f, oldest first), and a
-- change number nodes poll with (WHERE version > last seen).
CREATE TABLE IF NOT EXISTS synthetic_latest (
  target text NOT NULL, probe text NOT NULL, finished_at timestamptz NOT NULL, node text NOT NULL,
  latest jsonb NOT NULL, last_failure jsonb NULL, history text NOT NULL DEFAULT '', version bigint NOT NULL,
  PRIMARY KEY (target, probe));
CREATE INDEX IF NOT EXISTS idx_synthetic_latest_version ON synthetic_latest (version);

-- Every run, for an hour: which node ran which check when (operators' and tests' evidence of exactly-once).
CREATE TABLE IF NOT EXISTS synthetic_runs (
  id bigserial PRIMARY KEY, target text NOT NULL, probe text NOT NULL, node text NOT NULL,
  scheduled_at timestamptz NULL, started_at timestamptz NOT NULL, finished_at timestamptz NOT NULL, outcome text NOT NULL,
  reason text NULL);
CREATE INDEX IF NOT EXISTS idx_synthetic_runs_finished ON synthetic_runs (finished_at);

-- The nodes: a heartbeat, and a fingerprint of each node's checks so different configurations are named.
CREATE TABLE IF NOT EXISTS synthetic_nodes (
  node text PRIMARY KEY, fingerprint text NOT NULL, checks integer NOT NULL, started_at timestamptz NOT NULL,
  last_seen timestamptz NOT NULL);
