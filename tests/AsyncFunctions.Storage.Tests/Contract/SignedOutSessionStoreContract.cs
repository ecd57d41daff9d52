using AsyncFunctions.Storage.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace AsyncFunctions.Storage.Tests.Contract;

/// <summary>The ended dashboard sessions, on a database migrated with the scripts that ship.</summary>
public abstract class SignedOutSessionStoreContract(IStoreFixture fixture)
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);

    private DapperSignedOutSessionStore NewNode()
    {
        Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
        return new DapperSignedOutSessionStore(fixture.CreateDialect(), _time);
    }

    [SkippableFact]
    public async Task A_session_signed_out_on_one_node_is_signed_out_on_another_and_others_are_not()
    {
        var one = NewNode();
        var two = NewNode();
        var session = "s-" + Guid.NewGuid().ToString("N");

        Assert.False(await two.IsSignedOutAsync(session));
        await one.SignOutAsync(session, Now.AddHours(8));
        await one.SignOutAsync(session, Now.AddHours(9));

        Assert.True(await two.IsSignedOutAsync(session));
        Assert.False(await two.IsSignedOutAsync("s-" + Guid.NewGuid().ToString("N")));
    }

    [SkippableFact]
    public async Task A_sign_out_forgets_the_sessions_whose_time_has_passed()
    {
        var store = NewNode();
        var old = "s-" + Guid.NewGuid().ToString("N");
        await store.SignOutAsync(old, Now.AddHours(1));

        _time.Advance(TimeSpan.FromHours(2));
        await store.SignOutAsync("s-" + Guid.NewGuid().ToString("N"), Now.AddHours(10));

        Assert.False(await store.IsSignedOutAsync(old));
    }
}
