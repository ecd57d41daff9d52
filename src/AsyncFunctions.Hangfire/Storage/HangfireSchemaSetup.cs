namespace AsyncFunctions.Hangfire.Storage;

/// <summary>Who creates and upgrades Hangfire's own tables in a database provider (PostgreSQL, SQL Server).</summary>
public enum HangfireSchemaSetup
{
    /// <summary>
    /// The provider's start-up migration runs Hangfire's install scripts inside the same
    /// database lock as the results schema, before any worker starts; Hangfire's own
    /// <c>PrepareSchemaIfNecessary</c> is off. Safe when several nodes start at once.
    /// </summary>
    WithMigrations,

    /// <summary>Hangfire installs its schema itself when the job storage is built (<c>PrepareSchemaIfNecessary</c>).</summary>
    Hangfire,

    /// <summary>
    /// Nobody at start-up: the schema was applied beforehand (by a DBA, or by one run with
    /// <see cref="WithMigrations"/> under a login allowed to change the schema).
    /// </summary>
    External,
}
