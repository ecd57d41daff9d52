-- Node heartbeats. See db/sqlite for the columns.
IF OBJECT_ID(N'af_nodes', N'U') IS NULL
BEGIN
    CREATE TABLE af_nodes (
        node_id               nvarchar(200)     NOT NULL,
        server_id             nvarchar(200)     NULL,
        started_at            datetimeoffset(7) NOT NULL,
        last_heartbeat_at     datetimeoffset(7) NOT NULL,
        beats                 bigint            NOT NULL,
        taken_over_at         datetimeoffset(7) NULL,
        taken_over_by         nvarchar(200)     NULL,
        taken_over_beats      bigint            NULL,
        taken_over_executions int               NOT NULL CONSTRAINT df_af_nodes_taken_over_executions DEFAULT 0,
        CONSTRAINT pk_af_nodes PRIMARY KEY CLUSTERED (node_id)
    );
END;
GO
-- The node a sync run runs on, written by the node's heartbeat; read only when that node is taken over.
IF COL_LENGTH(N'af_executions', N'lease_node') IS NULL
    ALTER TABLE af_executions ADD lease_node nvarchar(200) NULL;
GO
