using System.Reflection;
using AsyncFunctions.Executions;
using AsyncFunctions.Hangfire.Resuming;
using AsyncFunctions.Running;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// The resumer's rounds over executions that finished on this node: at once on an idle node, and
/// while executions keep finishing at most one per <see cref="SuspensionResumer.RoundInterval"/>,
/// whose one query serves every execution that finished meanwhile. Time is a fake clock: only
/// the test moves it.
/// </summary>
public sealed class ResumeRoundTests
{
    [Fact]
    public async Task While_executions_keep_finishing_one_round_per_interval_serves_them_all()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var requests = new ResumeRequests();
        var queried = new List<IReadOnlyCollection<string>>();
        var store = ReadyWaiterQueries.Create(queried);
        using var resumer = new SuspensionResumer(requests, store, null!, null!, null!, Options.Create(new ExecutionOptions()), time, NullLogger<SuspensionResumer>.Instance);
        await resumer.StartAsync(CancellationToken.None);
        try
        {
            // Idle: the first finish is looked at at once.
            requests.Finished("a");
            await WaitForAsync(() => Count(queried) == 1);

            // Busy: finishes within the interval wait for the round that serves them together.
            requests.Finished("b");
            await Task.Delay(200);
            time.Advance(TimeSpan.FromMilliseconds(3));
            requests.Finished("c");
            await Task.Delay(300);
            Assert.Equal(1, Count(queried));

            time.Advance(SuspensionResumer.RoundInterval - TimeSpan.FromMilliseconds(3));
            await WaitForAsync(() => Count(queried) == 2);
            lock (queried)
            {
                Assert.Equal(["a"], queried[0]);
                Assert.Equal(["b", "c"], queried[1]);
            }
        }
        finally
        {
            await resumer.StopAsync(CancellationToken.None);
        }
    }

    private static int Count(List<IReadOnlyCollection<string>> queried)
    {
        lock (queried)
        {
            return queried.Count;
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the resumer did not query in time");
            await Task.Delay(10);
        }
    }

    /// <summary>A store that answers every query for ready waiters with none, noting which ids each asked about.</summary>
    public class ReadyWaiterQueries : DispatchProxy
    {
        private List<IReadOnlyCollection<string>> _queried = null!;

        public static IExecutionStore Create(List<IReadOnlyCollection<string>> queried)
        {
            var proxy = Create<IExecutionStore, ReadyWaiterQueries>();
            ((ReadyWaiterQueries)(object)proxy)._queried = queried;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == nameof(IExecutionStore.ListReadyWaitersAsync))
            {
                lock (_queried)
                {
                    _queried.Add(((IReadOnlyCollection<string>)args![0]!).ToArray());
                }

                return Task.FromResult<IReadOnlyList<string>>([]);
            }

            if (targetMethod.Name == nameof(IExecutionStore.ListDueSuspensionsAsync))
            {
                return Task.FromResult<IReadOnlyList<string>>([]);
            }

            throw new NotSupportedException(targetMethod.Name);
        }
    }
}
