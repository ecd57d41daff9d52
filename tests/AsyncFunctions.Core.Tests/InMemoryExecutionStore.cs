using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Core.Tests;

/// <summary>
/// The results table in memory: the contract of <see cref="IExecutionStore"/> written in C#, with
/// <see cref="ExecutionStatusRules.Supersedes"/> as its status rule. The awaiter tests use it apart
/// from any database, and the storage contract suite runs against it as well as against every SQL
/// dialect, so the rule in C# and the rule in the dialects' SQL are held to the same tests.
/// Like the SQL stores it keeps JSON as text and times to the microsecond.
/// </summary>
internal sealed class InMemoryExecutionStore : IExecutionStore
{
    private readonly Dictionary<string, Row> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<(string CallerKey, string Key), StoredKey> _keys = [];
    private readonly Lock _gate = new();
    private long _lastSeq;
    private int _resultQueries;

    public int ResultQueries => Volatile.Read(ref _resultQueries);

    /// <summary>How many ids each results query asked for, in order.</summary>
    public ConcurrentQueue<int> QuerySizes { get; } = new();

    /// <summary>Sets a row as another process would leave it, bypassing the status rule.</summary>
    public void Put(string id, ExecutionStatus status, JsonNode? output = null, ExecutionError? error = null)
    {
        lock (_gate)
        {
            var row = _rows.TryGetValue(id, out var existing) ? existing : Insert(id, "f", DateTimeOffset.UnixEpoch);
            row.Input ??= "{}";
            row.Status = status;
            row.Output = output?.ToJsonString();
            row.SetError(error);
        }
    }

    public Task CreateAsync(NewExecution execution, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var at = Precise(execution.CreatedAt);
        lock (_gate)
        {
            if (!_rows.TryGetValue(execution.Id, out var row))
            {
                row = Insert(execution.Id, execution.Function, at);
                row.Status = execution.Status;
                row.LeaseExpiresAt = execution.LeaseExpiresAt is { } lease ? Precise(lease) : null;
            }
            else if (row.Input is not null)
            {
                // A repeated create: the first one stands.
                return Task.CompletedTask;
            }

            // Completes a placeholder (or fills a new row) without touching its status.
            row.FunctionVersion = execution.FunctionVersion;
            row.Input = execution.Input.ToJsonString();
            row.ParentId = execution.ParentId;
            row.RootId = execution.RootId;
            row.CallDepth = execution.CallDepth;
            row.Caller = execution.Caller;
            row.Schedule = execution.Schedule;
            row.ScheduledFor = execution.ScheduledFor;
            row.CreatedAt = at < row.CreatedAt ? at : row.CreatedAt;
        }

        return Task.CompletedTask;
    }

    public Task<bool> TryCountTreeStartAsync(string rootId, int max, CancellationToken cancellationToken = default) =>
        TryCountTreeStartsAsync(rootId, 1, max, cancellationToken);

    public Task<bool> TryCountTreeStartsAsync(string rootId, int count, int max, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_rows.TryGetValue(rootId, out var root) && root.TreeStarts + count <= max)
            {
                root.TreeStarts += count;
                return Task.FromResult(true);
            }
        }

        return Task.FromResult(false);
    }

    public Task<bool> ApplyFirstStartAsync(StatusChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            // The lock is re-entrant: the check and the write are one step, as in the SQL statement.
            return _rows.TryGetValue(change.Id, out var row) && (row.Attempts > 0 || row.Resumes > 0)
                ? Task.FromResult(false)
                : ApplyAsync(change, cancellationToken);
        }
    }

    public Task<bool> ApplyAsync(StatusChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        var at = Precise(change.At);
        lock (_gate)
        {
            if (!_rows.TryGetValue(change.Id, out var row))
            {
                // The change came before the row: a placeholder that CreateAsync completes.
                row = Insert(change.Id, change.Function, at);
            }
            else if (!ExecutionStatusRules.Supersedes(change.Status, at, row.Status, row.StatusAt))
            {
                return Task.FromResult(false);
            }

            // The suspension bookkeeping of SqlDialect.SuspensionBookkeeping, in C#.
            var phase = change.Status.Phase();
            var wasResuming = row.Resuming;
            row.Resumes += row.Status == ExecutionStatus.Awaiting && phase == ExecutionStatusRules.PendingPhase ? 1 : 0;
            row.Resuming = phase == ExecutionStatusRules.PendingPhase && (row.Status == ExecutionStatus.Awaiting || row.Resuming);
            if (phase == ExecutionStatusRules.FinishedPhase)
            {
                row.Checkpoint = null;
            }

            row.Status = change.Status;
            row.StatusAt = at;
            row.Output = change.Output?.ToJsonString();
            row.SetError(change.Error);
            if (change.StartsAttempt)
            {
                // A resumed run goes on with its attempt: neither counted again nor restarted in time.
                row.Attempts += wasResuming ? 0 : 1;
                row.StartedAt = wasResuming ? row.StartedAt ?? at : at;
                row.ResumedAt = wasResuming ? at : row.ResumedAt;
            }

            row.CompletedAt = change.Status.IsTerminal() ? at : null;
            return Task.FromResult(true);
        }
    }

    public Task<ExecutionRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.TryGetValue(id, out var row) ? row.ToRecord() : null);
        }
    }

    public Task<IReadOnlyDictionary<string, ExecutionResult>> GetResultsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        Interlocked.Increment(ref _resultQueries);
        QuerySizes.Enqueue(ids.Count);
        lock (_gate)
        {
            IReadOnlyDictionary<string, ExecutionResult> found = ids
                .Distinct(StringComparer.Ordinal)
                .Where(_rows.ContainsKey)
                .ToDictionary(id => id, id => _rows[id].ToRecord().ToResult(), StringComparer.Ordinal);
            return Task.FromResult(found);
        }
    }

    public Task<ExecutionPage> ListAsync(ExecutionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, ExecutionQuery.MaxLimit);
        var before = query.Cursor is null
            ? long.MaxValue
            : long.TryParse(query.Cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : throw new InvalidCursorException(query.Cursor);
        lock (_gate)
        {
            var rows = _rows.Values
                .Where(r => r.Seq < before
                    && (query.Function is null || r.Function == query.Function)
                    && (query.Status is null || r.Status == query.Status)
                    && (query.ParentId is null || r.ParentId == query.ParentId)
                    && (query.CallerKey is null || r.Caller?.Key == query.CallerKey)
                    && (query.Schedule is null || r.Schedule == query.Schedule)
                    && (query.ErrorCode is null || r.Error?.Code == query.ErrorCode)
                    && (query.CreatedFrom is not { } createdFrom || r.CreatedAt >= Precise(createdFrom))
                    && (query.CreatedBefore is not { } createdBefore || r.CreatedAt < Precise(createdBefore)))
                .OrderByDescending(r => r.Seq)
                .Take(limit + 1)
                .ToList();
            var page = rows.Take(limit).ToList();
            var next = rows.Count > limit ? page[^1].Seq.ToString(CultureInfo.InvariantCulture) : null;
            return Task.FromResult(new ExecutionPage(page.Select(r => r.ToRecord()).ToList(), next));
        }
    }

    public Task<int> FailUnfinishedAsync(ExecutionError error, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        var when = Precise(at);
        lock (_gate)
        {
            var unfinished = _rows.Values.Where(r => !r.Status.IsTerminal()).ToList();
            foreach (var row in unfinished)
            {
                row.Status = ExecutionStatus.Failed;
                row.StatusAt = when;
                row.CompletedAt = when;
                row.SetError(error with { Data = null });
                row.Checkpoint = null;
            }

            return Task.FromResult(unfinished.Count);
        }
    }

    public Task RenewLeasesAsync(IReadOnlyCollection<string> ids, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        lock (_gate)
        {
            foreach (var id in ids)
            {
                if (_rows.TryGetValue(id, out var row) && !row.Status.IsTerminal())
                {
                    row.LeaseExpiresAt = Precise(expiresAt);
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<LeasedExecution>> ListExpiredLeasesAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var when = Precise(now);
        lock (_gate)
        {
            IReadOnlyList<LeasedExecution> expired = _rows.Values
                .Where(r => !r.Status.IsTerminal() && r.LeaseExpiresAt < when)
                .Select(r => new LeasedExecution(r.Id, r.Function))
                .ToList();
            return Task.FromResult(expired);
        }
    }

    public Task SuspendAsync(string id, Suspension suspension, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suspension);
        lock (_gate)
        {
            if (_rows.TryGetValue(id, out var row))
            {
                row.Checkpoint = suspension.Checkpoint;
                row.WaitingFor = suspension.WaitingFor.ToArray();
                row.Waits = suspension.WaitingFor.ToHashSet(StringComparer.Ordinal);
                row.AwaitingSince = Precise(at);
                row.WakeAt = Precise(suspension.WakeAt);
            }
        }

        return Task.CompletedTask;
    }

    public Task<string?> LoadCheckpointAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_rows.TryGetValue(id, out var row))
            {
                return Task.FromResult<string?>(null);
            }

            row.Waits = [];
            return Task.FromResult(row.Checkpoint);
        }
    }

    public Task<IReadOnlyList<string>> ListReadyWaitersAsync(IReadOnlyCollection<string> finishedIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(finishedIds);
        lock (_gate)
        {
            IReadOnlyList<string> ready = _rows.Values
                .Where(r => !r.Status.IsTerminal() && r.Waits.Overlaps(finishedIds) && AllFinished(r))
                .Select(r => r.Id)
                .ToList();
            return Task.FromResult(ready);
        }
    }

    public Task<IReadOnlyList<string>> ListDueSuspensionsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        var when = Precise(now);
        lock (_gate)
        {
            IReadOnlyList<string> due = _rows.Values
                .Where(r => r.Status == ExecutionStatus.Awaiting && r.Waits.Count > 0 && (r.WakeAt <= when || AllFinished(r)))
                .OrderBy(r => r.WakeAt)
                .Take(limit)
                .Select(r => r.Id)
                .ToList();
            return Task.FromResult(due);
        }
    }

    private bool AllFinished(Row waiter) =>
        AwaitRules.NothingLeftToAwait(waiter.Waits, waiter.Waits.Where(_rows.ContainsKey).ToDictionary(id => id, id => new ExecutionResult(id, _rows[id].Status, null, null), StringComparer.Ordinal));

    public Task<bool> LinkRetryAsync(string retriedId, string retryId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_rows.TryGetValue(retriedId, out var retried) || retried.RetriedBy is not null)
            {
                return Task.FromResult(false);
            }

            retried.RetriedBy = retryId;
            if (_rows.TryGetValue(retryId, out var retry))
            {
                retry.RetryOf = retriedId;
            }

            return Task.FromResult(true);
        }
    }

    public Task<IdempotencyClaim> ClaimIdempotencyKeyAsync(IdempotentStart start, DateTimeOffset now, DateTimeOffset expiredBefore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        var key = (start.CallerKey, start.Key);
        lock (_gate)
        {
            var claimed = false;
            if (!_keys.TryGetValue(key, out var stored) || stored.CreatedAt < Precise(expiredBefore))
            {
                stored = new StoredKey(start.Function, start.RequestHash, null, Precise(now));
                _keys[key] = stored;
                claimed = true;
            }

            return Task.FromResult(new IdempotencyClaim(claimed, stored.Function, stored.RequestHash, stored.ExecutionId));
        }
    }

    public Task SetIdempotencyExecutionAsync(string callerKey, string key, string executionId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_keys.TryGetValue((callerKey, key), out var stored))
            {
                _keys[(callerKey, key)] = stored with { ExecutionId = executionId };
            }
        }

        return Task.CompletedTask;
    }

    public Task ReleaseIdempotencyKeyAsync(string callerKey, string key, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_keys.TryGetValue((callerKey, key), out var stored) && stored.ExecutionId is null)
            {
                _keys.Remove((callerKey, key));
            }
        }

        return Task.CompletedTask;
    }

    public Task<int> PurgeIdempotencyKeysAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken = default)
    {
        var before = Precise(createdBefore);
        lock (_gate)
        {
            var expired = _keys.Where(k => k.Value.CreatedAt < before).Select(k => k.Key).ToList();
            expired.ForEach(k => _keys.Remove(k));
            return Task.FromResult(expired.Count);
        }
    }

    public Task<int> PurgeFinishedAsync(DateTimeOffset completedBefore, int limit, CancellationToken cancellationToken = default)
    {
        var before = Precise(completedBefore);
        lock (_gate)
        {
            // This store keeps no logs; the waits live on the row and go with it.
            var old = _rows.Values.Where(r => r.Status.IsTerminal() && r.CompletedAt < before).OrderBy(r => r.CompletedAt).Take(Math.Max(1, limit)).ToList();
            old.ForEach(r => _rows.Remove(r.Id));
            return Task.FromResult(old.Count);
        }
    }

    public Task PingAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    private static DateTimeOffset Precise(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);

    private Row Insert(string id, string function, DateTimeOffset at)
    {
        var row = new Row(id, function, ++_lastSeq) { StatusAt = at, CreatedAt = at };
        _rows.Add(id, row);
        return row;
    }

    private sealed record StoredKey(string Function, string RequestHash, string? ExecutionId, DateTimeOffset CreatedAt);

    private sealed class Row(string id, string function, long seq)
    {
        public string? RetryOf { get; set; }

        public string? RetriedBy { get; set; }

        public string Id { get; } = id;

        public string Function { get; } = function;

        public long Seq { get; } = seq;

        public int? FunctionVersion { get; set; }

        public ExecutionStatus Status { get; set; }

        public DateTimeOffset StatusAt { get; set; }

        public string? Input { get; set; }

        public string? Output { get; set; }

        public (string Type, string Message, string Code, string? Data)? Error { get; private set; }

        public int Attempts { get; set; }

        public string? ParentId { get; set; }

        public string? RootId { get; set; }

        public int CallDepth { get; set; }

        public int TreeStarts { get; set; }

        public ExecutionCaller? Caller { get; set; }

        public string? Schedule { get; set; }

        public DateTimeOffset? ScheduledFor { get; set; }

        public DateTimeOffset CreatedAt { get; set; }

        public DateTimeOffset? StartedAt { get; set; }

        public DateTimeOffset? CompletedAt { get; set; }

        public DateTimeOffset? LeaseExpiresAt { get; set; }

        public string? Checkpoint { get; set; }

        public string[]? WaitingFor { get; set; }

        public HashSet<string> Waits { get; set; } = [];

        public DateTimeOffset? AwaitingSince { get; set; }

        public DateTimeOffset? WakeAt { get; set; }

        public int Resumes { get; set; }

        public DateTimeOffset? ResumedAt { get; set; }

        public bool Resuming { get; set; }

        public void SetError(ExecutionError? error) =>
            Error = error is null ? null : (error.Type, error.Message, error.Code, error.Data?.ToJsonString());

        public ExecutionRecord ToRecord() => new()
        {
            Id = Id,
            Function = Function,
            FunctionVersion = FunctionVersion,
            Status = Status,
            Input = Parse(Input),
            Output = Parse(Output),
            Error = Error is { } e ? new ExecutionError(e.Type, e.Message, e.Code, Parse(e.Data)) : null,
            Attempts = Attempts,
            ParentId = ParentId,
            RootId = RootId,
            CallDepth = CallDepth,
            Caller = Caller,
            Schedule = Schedule,
            ScheduledFor = ScheduledFor,
            CreatedAt = CreatedAt,
            StartedAt = StartedAt,
            CompletedAt = CompletedAt,
            WaitingFor = Status == ExecutionStatus.Awaiting ? WaitingFor : null,
            AwaitingSince = Status == ExecutionStatus.Awaiting ? AwaitingSince : null,
            WakeAt = Status == ExecutionStatus.Awaiting ? WakeAt : null,
            Resumes = Resumes,
            ResumedAt = ResumedAt,
            HasCheckpoint = Checkpoint is not null,
            RetryOf = RetryOf,
            RetriedBy = RetriedBy,
        };

        private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);
    }
}
