using System.Data.Common;
using System.Globalization;
using AsyncFunctions.FlowControl;
using Dapper;

namespace AsyncFunctions.Storage.FlowControl;

/// <summary>
/// Admission over Dapper (db/*/0013, statements in <c>SqlDialect.FlowControl.cs</c>). Each call is
/// one transaction that first takes the function's lock row, so the counts it reads cannot change
/// under it; a freed slot goes to the oldest waiter that fits in the very transaction that frees
/// it, so a key never has room and waiters at once: a start finds room exactly when nobody waits
/// for that key, and arrival order holds within a key. An execution with several limits waits on
/// all of them; when one of its keys is full it does not hold up executions that need other keys.
/// Inside a job's creation on PostgreSQL (an ambient TransactionScope) the statements join
/// that transaction instead of opening their own.
/// </summary>
public sealed class DapperFlowAdmissionStore(SqlDialect dialect) : IFlowAdmissionStore
{
    /// <summary>A reservation is taken only once its time came: a start back early (Hangfire keeps schedule times in whole seconds) is delayed again.</summary>
    private static readonly TimeSpan ReservationTolerance = TimeSpan.Zero;

    /// <summary>Rate-limit starts are forgotten after this long; a rate limit's period is at most a day.</summary>
    private static readonly TimeSpan LongestPeriod = TimeSpan.FromDays(1);

    public Task<AdmissionOutcome> AdmitAsync(string executionId, AdmissionTicket ticket, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return InTransactionAsync(async (connection, transaction) =>
        {
            var db = new Db(dialect, connection, transaction, cancellationToken);
            await db.LockAsync(ticket.Function, now).ConfigureAwait(false);
            if (ticket.Rate is { } rate && await PassRateAsync(db, executionId, ticket.Function, rate, now).ConfigureAwait(false) is { } delayed)
            {
                return delayed;
            }

            if (ticket.Slots.Count == 0)
            {
                return AdmissionOutcome.Admitted;
            }

            if ((await db.HeldSlotsAsync(executionId).ConfigureAwait(false)).Count > 0)
            {
                return AdmissionOutcome.Admitted;
            }

            if (await db.ScalarAsync(dialect.CountWaiterRowsSql, new { Id = executionId }).ConfigureAwait(false) > 0)
            {
                return new AdmissionOutcome(AdmissionVerdict.Waiting, await DescribeAsync(db, executionId).ConfigureAwait(false));
            }

            string? blocked = null;
            foreach (var claim in ticket.Slots)
            {
                await db.ExecuteAsync(dialect.UpsertFlowKeySql, new { Scope = claim.Scope, Key = claim.Key, Function = ticket.Function, Capacity = claim.Limit, At = db.Time(now) }).ConfigureAwait(false);
                var key = await db.ReadKeyAsync(claim.Scope, claim.Key).ConfigureAwait(false);
                if (blocked is null && key.Holders >= key.Capacity)
                {
                    blocked = Describe(ticket.Function, claim.Scope, claim.Key, key.Capacity, key.Holders, key.Waiters);
                }
            }

            var hold = ticket.HoldWhileAwaiting ? 1 : 0;
            var rows = ticket.Slots.Select(c => new { Scope = c.Scope, Key = c.Key, Id = executionId, Function = ticket.Function, Hold = hold, At = db.Time(now) }).ToArray();
            if (blocked is null)
            {
                await db.ExecuteAsync(dialect.InsertSlotSql, rows).ConfigureAwait(false);
                return AdmissionOutcome.Admitted;
            }

            await db.ExecuteAsync(dialect.InsertWaiterSql, rows).ConfigureAwait(false);
            return new AdmissionOutcome(AdmissionVerdict.Waiting, blocked);
        }, cancellationToken);
    }

    public Task<AdmissionOutcome> AdmitNowAsync(string executionId, AdmissionTicket ticket, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return InTransactionAsync(async (connection, transaction) =>
        {
            var db = new Db(dialect, connection, transaction, cancellationToken);
            await db.LockAsync(ticket.Function, now).ConfigureAwait(false);

            // Every limit must have room now, and nobody may wait ahead: a sync run never overtakes the line.
            foreach (var claim in ticket.Slots)
            {
                await db.ExecuteAsync(dialect.UpsertFlowKeySql, new { Scope = claim.Scope, Key = claim.Key, Function = ticket.Function, Capacity = claim.Limit, At = db.Time(now) }).ConfigureAwait(false);
                var key = await db.ReadKeyAsync(claim.Scope, claim.Key).ConfigureAwait(false);
                if (key.Holders >= key.Capacity || key.Waiters > 0)
                {
                    return new AdmissionOutcome(AdmissionVerdict.Waiting, Describe(ticket.Function, claim.Scope, claim.Key, key.Capacity, key.Holders, key.Waiters));
                }
            }

            if (ticket.Rate is { } rate)
            {
                // As for a first async start, the reservations already made count: a start now fits
                // only where one would be counted now, not delayed.
                await db.ExecuteAsync(dialect.UpsertFlowKeySql, new { Scope = rate.Scope, Key = rate.Key, Function = ticket.Function, Capacity = rate.Limit, At = db.Time(now) }).ConfigureAwait(false);
                var period = TimeSpan.FromSeconds(rate.PeriodSeconds);
                var recent = await RecentStartsAsync(db, dialect.ListRecentStartsSql, rate, now - period).ConfigureAwait(false);
                if (recent.Count >= rate.Limit)
                {
                    return Delayed(ticket.Function, rate, Max(now, recent[rate.Limit - 1] + period));
                }

                await db.ExecuteAsync(dialect.InsertStartSql, new { Scope = rate.Scope, Key = rate.Key, Id = executionId, StartAt = db.Time(now), Taken = 1 }).ConfigureAwait(false);
            }

            if (ticket.Slots.Count > 0)
            {
                var hold = ticket.HoldWhileAwaiting ? 1 : 0;
                await db.ExecuteAsync(dialect.InsertSlotSql, ticket.Slots.Select(c => new { Scope = c.Scope, Key = c.Key, Id = executionId, Function = ticket.Function, Hold = hold, At = db.Time(now) }).ToArray()).ConfigureAwait(false);
            }

            return AdmissionOutcome.Admitted;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<GrantedWaiter>> ReleaseAsync(string function, string executionId, bool suspending, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (dialect.ReleaseAndGrantSql(suspending) is { } oneTrip
            && await ReleaseInOneTripAsync(oneTrip, function, executionId, suspending, now, cancellationToken).ConfigureAwait(false) is { } granted)
        {
            return granted;
        }

        return await InTransactionAsync(async (connection, transaction) =>
        {
            var db = new Db(dialect, connection, transaction, cancellationToken);
            return await ReleaseLockedAsync(db, function, executionId, suspending, now).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The release and its hand-over as one command: the function's lock, then the statement that
    /// frees the slots and hands them on. Without a transaction of its own the command's statements
    /// still commit together (PostgreSQL runs the statements of one round trip in one implicit
    /// transaction), so this is one round trip in all; inside a job's creation they join its
    /// transaction. Null when a waiter at the head of the line needs other limits too: nothing was
    /// changed, and the general path decides.
    /// </summary>
    private Task<IReadOnlyList<GrantedWaiter>?> ReleaseInOneTripAsync(string sql, string function, string executionId, bool suspending, DateTimeOffset now, CancellationToken cancellationToken) =>
        dialect.WriteAsync<IReadOnlyList<GrantedWaiter>?>(async (connection, transaction) =>
        {
            List<GrantRow> rows;
            var batch = await connection.QueryMultipleAsync(new CommandDefinition(
                sql,
                new { Function = function, At = StoredAt(dialect, now), Id = executionId, SuspendingOnly = suspending ? 1 : 0 },
                transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            await using (batch.ConfigureAwait(false))
            {
                rows = (await batch.ReadAsync<GrantRow>().ConfigureAwait(false)).ToList();
            }

            if (rows.Exists(r => r.Complex != 0))
            {
                return null;
            }

            return rows.Select(r => Granted(r.Id!, r.FunctionName!, r.QueuedAt!, r.Queue, now)).ToList();
        }, transactional: false, cancellationToken);

    /// <summary>A waiter handed its slots, from its waiter row as stored (no queue recorded: the default queue).</summary>
    private GrantedWaiter Granted(string id, string function, object queuedAt, string? queue, DateTimeOffset now) =>
        new(id, function, dialect.FromDb(queuedAt), queue ?? FunctionFlow.DefaultQueue, now);

    /// <summary>A time as the flow tables store it.</summary>
    private static object StoredAt(SqlDialect dialect, DateTimeOffset at) => dialect.ToDb(StoredTime.Precise(at));

    public async Task<FlowRepair> RepairAsync(DateTimeOffset now, DateTimeOffset orphanedBefore, CancellationToken cancellationToken = default)
    {
        var granted = new List<GrantedWaiter>();
        var freed = 0;
        List<StaleSlot> stale;
        List<string> staleWaiters;
        List<KeyRow> withRoom;
        await using (var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            var orphaned = new { OrphanedBefore = StoredAt(dialect, orphanedBefore) };
            stale = (await connection.QueryAsync<StaleSlot>(new CommandDefinition(dialect.ListStaleSlotsSql, orphaned, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
            staleWaiters = (await connection.QueryAsync<string>(new CommandDefinition(dialect.ListStaleWaitersSql, orphaned, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        }

        foreach (var slot in stale)
        {
            // A suspended holder keeps the slots of limits that hold while awaiting.
            var released = await ReleaseAsync(slot.FunctionName, slot.Id, suspending: slot.Suspended != 0, now, cancellationToken).ConfigureAwait(false);
            granted.AddRange(released);
            freed++;
        }

        if (staleWaiters.Count > 0)
        {
            await InTransactionAsync(async (connection, transaction) =>
            {
                foreach (var id in staleWaiters)
                {
                    await connection.ExecuteAsync(new CommandDefinition(dialect.DeleteWaiterRowsSql, new { Id = id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                }

                return 0;
            }, cancellationToken).ConfigureAwait(false);
        }

        await using (var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            withRoom = (await connection.QueryAsync<KeyRow>(new CommandDefinition(dialect.ListKeysWithRoomSql, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        }

        foreach (var function in withRoom.GroupBy(k => k.FunctionName, StringComparer.Ordinal))
        {
            granted.AddRange(await InTransactionAsync(async (connection, transaction) =>
            {
                var db = new Db(dialect, connection, transaction, cancellationToken);
                await db.LockAsync(function.Key, now).ConfigureAwait(false);
                return await GrantAsync(db, function.Select(k => (k.Scope, k.FlowKey)).ToList(), now).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false));
        }

        await dialect.WriteStatementAsync(dialect.ForgetOldStartsSql, new { Before = StoredAt(dialect, now - LongestPeriod) }, cancellationToken).ConfigureAwait(false);
        await using (var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            var unwoken = (await connection.QueryAsync<string>(new CommandDefinition(dialect.ListUnwokenHoldersSql, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
            return new FlowRepair(freed, granted, unwoken);
        }
    }

    public async Task<IReadOnlyList<FlowKeyUsage>> ListUsageAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<UsageRow>(new CommandDefinition(dialect.ListFlowUsageSql, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.Select(r => new FlowKeyUsage(r.FunctionName, r.Scope, r.FlowKey, (int)r.Capacity, (int)r.Holders, (int)r.Waiters)).ToList();
    }

    public async Task<string?> DescribeWaitAsync(string executionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await DescribeAsync(new Db(dialect, connection, null, cancellationToken), executionId).ConfigureAwait(false);
    }

    private async Task<AdmissionOutcome?> PassRateAsync(Db db, string executionId, string function, RateClaim rate, DateTimeOffset now)
    {
        await db.ExecuteAsync(dialect.UpsertFlowKeySql, new { Scope = rate.Scope, Key = rate.Key, Function = function, Capacity = rate.Limit, At = db.Time(now) }).ConfigureAwait(false);
        var period = TimeSpan.FromSeconds(rate.PeriodSeconds);
        var reservation = await db.Connection.QueryFirstOrDefaultAsync<ReservationRow>(new CommandDefinition(
            dialect.FindReservationSql, new { Scope = rate.Scope, Id = executionId }, db.Transaction, cancellationToken: db.CancellationToken)).ConfigureAwait(false);
        if (reservation is not null)
        {
            var startAt = dialect.FromDb(reservation.StartAt);
            if (startAt > now + ReservationTolerance)
            {
                return Delayed(function, rate, startAt);
            }

            // The reservation was computed from the windows as they stood; its start comes later than
            // reserved (the scheduler's polling, the queue), and so may the starts before it. The
            // window counts the starts at the times they really happened (the records' startedAt),
            // so a due reservation is taken only while fewer than limit starts were taken within
            // the period before now, and is then counted at now; otherwise it moves to the moment
            // the oldest of them leaves the window.
            var ran = await RecentStartsAsync(db, dialect.ListRecentTakenStartsSql, rate, now - period).ConfigureAwait(false);
            if (ran.Count >= rate.Limit)
            {
                var later = ran[rate.Limit - 1] + period;
                await db.ExecuteAsync(dialect.MoveReservationSql, new { reservation.Seq, StartAt = db.Time(later) }).ConfigureAwait(false);
                return Delayed(function, rate, later);
            }

            await db.ExecuteAsync(dialect.TakeReservationSql, new { reservation.Seq, StartAt = db.Time(now) }).ConfigureAwait(false);
            return null;
        }

        var recent = await RecentStartsAsync(db, dialect.ListRecentStartsSql, rate, now - period).ConfigureAwait(false);
        // The reservations of a key only grow, so the window after the limit-th latest start is the
        // first one with room: any S seconds then hold at most limit - 1 starts besides this one.
        var start = recent.Count < rate.Limit ? now : Max(now, recent[rate.Limit - 1] + period);
        var taken = start <= now;
        await db.ExecuteAsync(dialect.InsertStartSql, new { Scope = rate.Scope, Key = rate.Key, Id = executionId, StartAt = db.Time(start), Taken = taken ? 1 : 0 }).ConfigureAwait(false);
        return taken ? null : Delayed(function, rate, start);
    }

    private async Task<List<DateTimeOffset>> RecentStartsAsync(Db db, string sql, RateClaim rate, DateTimeOffset since) =>
        (await db.Connection.QueryAsync<StartRow>(new CommandDefinition(
            sql,
            new { Scope = rate.Scope, Key = rate.Key, Since = db.Time(since), Limit = rate.Limit },
            db.Transaction,
            cancellationToken: db.CancellationToken)).ConfigureAwait(false)).Select(r => dialect.FromDb(r.StartAt)).ToList();

    private static AdmissionOutcome Delayed(string function, RateClaim rate, DateTimeOffset start) =>
        new(AdmissionVerdict.Delayed, string.Create(CultureInfo.InvariantCulture, $"rate limit of {function}: {rate.Limit} per {rate.PeriodSeconds} s{KeyText(rate.Key)}; next window {start:O}"), start);

    /// <summary>Takes the function's lock and frees the execution's slots in one round trip, then hands them on.</summary>
    private async Task<IReadOnlyList<GrantedWaiter>> ReleaseLockedAsync(Db db, string function, string executionId, bool suspending, DateTimeOffset now)
    {
        List<HeldSlot> held;
        var batch = await db.Connection.QueryMultipleAsync(new CommandDefinition(
            dialect.ReleaseHeldSlotsSql(suspending),
            new { Function = function, At = db.Time(now), Id = executionId, SuspendingOnly = suspending ? 1 : 0 },
            db.Transaction,
            cancellationToken: db.CancellationToken)).ConfigureAwait(false);
        await using (batch.ConfigureAwait(false))
        {
            held = (await batch.ReadAsync<HeldSlot>().ConfigureAwait(false)).ToList();
        }

        var freed = held.Where(h => !suspending || h.Hold == 0).Select(h => (h.Scope, h.FlowKey)).ToList();
        return freed.Count == 0 ? [] : await GrantAsync(db, freed, now).ConfigureAwait(false);
    }

    /// <summary>Hands the room of <paramref name="keys"/> to their oldest waiters that fit; the function's lock is held.</summary>
    private async Task<IReadOnlyList<GrantedWaiter>> GrantAsync(Db db, IReadOnlyList<(string Scope, string Key)> keys, DateTimeOffset now)
    {
        var room = new Dictionary<(string, string), long>();
        var candidates = new List<WaiterRef>();
        foreach (var key in keys.Distinct())
        {
            // The key and its oldest waiters in one round trip, as many as one freed slot wants;
            // more room (a raised limit, the sweep) looks further down the line.
            KeyState row;
            List<WaiterRef> first;
            var batch = await db.Connection.QueryMultipleAsync(new CommandDefinition(
                dialect.ReadKeyAndWaitersSql, new { Scope = key.Scope, Key = key.Key, Limit = WaitersLookedAt(1) }, db.Transaction, cancellationToken: db.CancellationToken)).ConfigureAwait(false);
            await using (batch.ConfigureAwait(false))
            {
                row = await batch.ReadSingleOrDefaultAsync<KeyState>().ConfigureAwait(false) ?? new KeyState();
                first = (await batch.ReadAsync<WaiterRef>().ConfigureAwait(false)).ToList();
            }

            room[key] = row.Capacity - row.Holders;
            if (room[key] > 0 && row.Waiters > 0)
            {
                candidates.AddRange(WaitersLookedAt(room[key]) <= first.Count || first.Count < WaitersLookedAt(1)
                    ? first.Take(WaitersLookedAt(room[key]))
                    : await db.Connection.QueryAsync<WaiterRef>(new CommandDefinition(
                        dialect.ListKeyWaitersSql, new { Scope = key.Scope, Key = key.Key, Limit = WaitersLookedAt(room[key]) }, db.Transaction, cancellationToken: db.CancellationToken)).ConfigureAwait(false));
            }
        }

        if (candidates.Count == 0)
        {
            return [];
        }

        var ids = candidates.Select(c => c.Id).Distinct(StringComparer.Ordinal).ToArray();
        var rows = (await db.Connection.QueryAsync<WaiterRow>(new CommandDefinition(dialect.ListWaiterRowsSql, new { Ids = ids }, db.Transaction, cancellationToken: db.CancellationToken)).ConfigureAwait(false)).ToList();
        var granted = new List<GrantedWaiter>();
        foreach (var waiter in rows.GroupBy(r => r.Id, StringComparer.Ordinal).OrderBy(g => g.Min(r => r.Seq)))
        {
            var fits = true;
            foreach (var row in waiter)
            {
                var key = (row.Scope, row.FlowKey);
                if (!room.TryGetValue(key, out var left))
                {
                    var read = await db.ReadKeyAsync(row.Scope, row.FlowKey).ConfigureAwait(false);
                    room[key] = left = read.Capacity - read.Holders;
                }

                fits &= left > 0;
            }

            if (!fits)
            {
                continue;
            }

            foreach (var row in waiter)
            {
                room[(row.Scope, row.FlowKey)]--;
            }

            var first = waiter.First();
            var slots = waiter.Select(r => new { Scope = r.Scope, Key = r.FlowKey, Id = r.Id, Function = r.FunctionName, Hold = (int)r.Hold, At = db.Time(now) }).ToArray();
            if (slots.Length == 1)
            {
                await db.ExecuteAsync(dialect.GrantSlotSql, slots[0]).ConfigureAwait(false);
            }
            else
            {
                await db.ExecuteAsync(dialect.InsertSlotSql, slots).ConfigureAwait(false);
                await db.ExecuteAsync(dialect.DeleteWaiterRowsSql, new { Id = waiter.Key }).ConfigureAwait(false);
            }

            granted.Add(Granted(waiter.Key, first.FunctionName, first.QueuedAt, first.Queue, now));
        }

        return granted;
    }

    /// <summary>How many of a key's oldest waiters a grant looks at for <paramref name="room"/> free slots (some may need a full key too).</summary>
    private static int WaitersLookedAt(long room) => (int)Math.Min(room * 4 + 100, 500);

    private async Task<string?> DescribeAsync(Db db, string executionId)
    {
        var rows = (await db.Connection.QueryAsync<WaitRow>(new CommandDefinition(dialect.DescribeWaitSql, new { Id = executionId }, db.Transaction, cancellationToken: db.CancellationToken)).ConfigureAwait(false)).ToList();
        var blocking = rows.FirstOrDefault(r => r.Holders >= r.Capacity || r.Ahead > 0) ?? rows.FirstOrDefault();
        return blocking is null ? null : Describe(FunctionOf(blocking.Scope), blocking.Scope, blocking.FlowKey, blocking.Capacity, blocking.Holders, blocking.Ahead);
    }

    private static string FunctionOf(string scope) => scope[..Math.Max(0, scope.LastIndexOf('#'))];

    private static string Describe(string function, string scope, string key, long capacity, long holders, long ahead) =>
        string.Create(CultureInfo.InvariantCulture, $"concurrency limit {scope[(scope.LastIndexOf('#') + 2)..]} of {function}: {capacity} at once{KeyText(key)}; {holders} running, {ahead} waiting ahead");

    private static string KeyText(string key) => key.Length == 0 ? "" : $" per key, key \"{key}\"";

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>One transaction of its own, or the ambient one a job's creation runs in (PostgreSQL).</summary>
    private Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> work, CancellationToken cancellationToken) =>
        dialect.WriteAsync(work, transactional: System.Transactions.Transaction.Current is null, cancellationToken);

    private sealed class Db(SqlDialect dialect, DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        public DbConnection Connection => connection;

        public DbTransaction? Transaction => transaction;

        public CancellationToken CancellationToken => cancellationToken;

        public object Time(DateTimeOffset at) => StoredAt(dialect, at);

        public Task LockAsync(string function, DateTimeOffset now) =>
            ExecuteAsync(dialect.LockFlowFunctionSql, new { Function = function, At = Time(now) });

        public Task ExecuteAsync(string sql, object parameters) =>
            connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));

        public Task<long> ScalarAsync(string sql, object parameters) =>
            connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));

        public async Task<IReadOnlyList<HeldSlot>> HeldSlotsAsync(string id) =>
            (await connection.QueryAsync<HeldSlot>(new CommandDefinition(dialect.ListHeldSlotsSql, new { Id = id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();

        public async Task<KeyState> ReadKeyAsync(string scope, string key) =>
            await connection.QuerySingleOrDefaultAsync<KeyState>(new CommandDefinition(dialect.ReadFlowKeySql, new { Scope = scope, Key = key }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)
            ?? new KeyState();
    }

    private sealed class HeldSlot
    {
        public string Scope { get; init; } = "";

        public string FlowKey { get; init; } = "";

        public long Hold { get; init; }
    }

    private sealed class KeyState
    {
        public long Capacity { get; init; }

        public long Holders { get; init; }

        public long Waiters { get; init; }
    }

    private sealed class WaiterRef
    {
        public string Id { get; init; } = "";

        public long Seq { get; init; }
    }

    private sealed class WaiterRow
    {
        public string Id { get; init; } = "";

        public string Scope { get; init; } = "";

        public string FlowKey { get; init; } = "";

        public string FunctionName { get; init; } = "";

        public long Hold { get; init; }

        public long Seq { get; init; }

        public object QueuedAt { get; init; } = 0L;

        public string? Queue { get; init; }
    }

    private sealed class GrantRow
    {
        public string? Id { get; init; }

        public string? FunctionName { get; init; }

        public object? QueuedAt { get; init; }

        public string? Queue { get; init; }

        public long Complex { get; init; }
    }

    private sealed class ReservationRow
    {
        public long Seq { get; init; }

        public object StartAt { get; init; } = 0L;
    }

    private sealed class StartRow
    {
        public object StartAt { get; init; } = 0L;
    }

    private sealed class StaleSlot
    {
        public string Id { get; init; } = "";

        public string FunctionName { get; init; } = "";

        public long Suspended { get; init; }
    }

    private sealed class KeyRow
    {
        public string Scope { get; init; } = "";

        public string FlowKey { get; init; } = "";

        public string FunctionName { get; init; } = "";
    }

    private sealed class UsageRow
    {
        public string FunctionName { get; init; } = "";

        public string Scope { get; init; } = "";

        public string FlowKey { get; init; } = "";

        public long Capacity { get; init; }

        public long Holders { get; init; }

        public long Waiters { get; init; }
    }

    private sealed class WaitRow
    {
        public string Scope { get; init; } = "";

        public string FlowKey { get; init; } = "";

        public long Capacity { get; init; }

        public long Holders { get; init; }

        public long Ahead { get; init; }
    }
}
