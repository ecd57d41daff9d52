-- Node heartbeats (used by the shared topologies; the embedded default runs one node and keeps
-- its restart rule). Timestamps are microseconds since the Unix epoch, as elsewhere.
--   node_id                 this process's node id (host:pid:random), new at every start
--   server_id               the Hangfire server id of the node's workers (NULL on an API-only node)
--   beats                   counts the heartbeats; survivors watch it change, by their own clocks
--   taken_over_*            the last takeover: when, by which node, at which beat count, and how
--                           many executions were requeued. A node whose beats moved past
--                           taken_over_beats came back and is alive again.
CREATE TABLE IF NOT EXISTS af_nodes (
    node_id               TEXT    NOT NULL PRIMARY KEY,
    server_id             TEXT    NULL,
    started_at            INTEGER NOT NULL,
    last_heartbeat_at     INTEGER NOT NULL,
    beats                 INTEGER NOT NULL,
    taken_over_at         INTEGER NULL,
    taken_over_by         TEXT    NULL,
    taken_over_beats      INTEGER NULL,
    taken_over_executions INTEGER NOT NULL DEFAULT 0
);

-- The node a sync run runs on, written by the node's heartbeat; read only when that node is taken over.
ALTER TABLE af_executions ADD COLUMN lease_node TEXT NULL;
