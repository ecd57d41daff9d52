-- Node heartbeats. Every node of a shared topology (PostgreSQL, SQL Server) writes its row every
-- AsyncFunctions:Server:HeartbeatInterval; a node whose beats stop for NodeTimeout is claimed by
-- one survivor (a conditional UPDATE on beats and taken_over_beats), which requeues the jobs the
-- node was processing and ends its sync runs. See db/sqlite for the columns.
CREATE TABLE IF NOT EXISTS af_nodes (
    node_id               text        NOT NULL PRIMARY KEY,
    server_id             text        NULL,
    started_at            timestamptz NOT NULL,
    last_heartbeat_at     timestamptz NOT NULL,
    beats                 bigint      NOT NULL,
    taken_over_at         timestamptz NULL,
    taken_over_by         text        NULL,
    taken_over_beats      bigint      NULL,
    taken_over_executions integer     NOT NULL DEFAULT 0
);

-- The node a sync run runs on, written by the node's heartbeat; read only when that node is taken over.
ALTER TABLE af_executions ADD COLUMN IF NOT EXISTS lease_node text NULL;
