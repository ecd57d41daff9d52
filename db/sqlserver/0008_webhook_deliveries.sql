-- Completion webhooks. See db/sqlite for the tables.
IF OBJECT_ID(N'af_webhooks', N'U') IS NULL
BEGIN
    CREATE TABLE af_webhooks (
        execution_id nvarchar(200)  NOT NULL,
        url          nvarchar(2048) NOT NULL,
        state        nvarchar(20)   NOT NULL,
        message_id   nvarchar(300)  NULL,
        CONSTRAINT pk_af_webhooks PRIMARY KEY CLUSTERED (execution_id)
    );
END;
GO
IF OBJECT_ID(N'af_webhook_deliveries', N'U') IS NULL
BEGIN
    CREATE TABLE af_webhook_deliveries (
        execution_id nvarchar(200)     NOT NULL,
        message_id   nvarchar(300)     NOT NULL,
        attempt      int               NOT NULL,
        at           datetimeoffset(7) NOT NULL,
        status_code  int               NULL,
        error        nvarchar(max)     NULL,
        duration_ms  bigint            NOT NULL,
        CONSTRAINT pk_af_webhook_deliveries PRIMARY KEY CLUSTERED (execution_id, message_id, attempt)
    );
END;
GO
