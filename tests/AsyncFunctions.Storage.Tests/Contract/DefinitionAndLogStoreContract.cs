using System.Text.Json.Nodes;
using AsyncFunctions.Definitions;
using AsyncFunctions.Storage;
using AsyncFunctions.Logging;
using AsyncFunctions.Storage.Tests.Fixtures;

namespace AsyncFunctions.Storage.Tests.Contract;

/// <summary>
/// The function-definition and execution-log tables, written once and run against every provider
/// on a database migrated with the scripts that ship.
/// </summary>
public abstract class DefinitionAndLogStoreContract(IStoreFixture fixture)
{
    private SqlDialect Dialect
    {
        get
        {
            Skip.If(fixture.SkipReason is not null, fixture.SkipReason);
            return fixture.CreateDialect();
        }
    }

    [SkippableFact]
    public async Task Saving_keeps_every_version_and_the_latest_is_current()
    {
        var store = new DapperFunctionDefinitionStore(Dialect, TimeProvider.System);
        var name = "contract.def." + Guid.NewGuid().ToString("N");
        const string First = """{"steps":[{"z":1,"a":"é"}],"b":true}""";
        const string Second = """{"steps":[],"a":2}""";

        Assert.Equal(new DefinitionSave(1, Changed: true, Created: true), await store.SaveAsync(name, First));
        Assert.Equal(new DefinitionSave(2, Changed: true, Created: false), await store.SaveAsync(name, Second));

        Assert.Equal((2, Second), Version(await store.GetAsync(name, null)));
        Assert.Equal((1, First), Version(await store.GetAsync(name, 1)));
        Assert.Null(await store.GetAsync(name, 3));
        Assert.Contains(await store.ListAsync(), d => d.Name == name && d.Version == 2);
    }

    [SkippableFact]
    public async Task Deleting_hides_the_name_but_keeps_its_versions_and_a_new_save_continues_the_numbering()
    {
        var store = new DapperFunctionDefinitionStore(Dialect, TimeProvider.System);
        var name = "contract.del." + Guid.NewGuid().ToString("N");
        await store.SaveAsync(name, """{"v":1}""");

        Assert.True(await store.DeleteAsync(name));
        Assert.False(await store.DeleteAsync(name));
        Assert.False(await store.DeleteAsync(name + ".unknown"));
        Assert.Null(await store.GetAsync(name, null));
        Assert.NotNull(await store.GetAsync(name, 1));
        Assert.DoesNotContain(await store.ListAsync(), d => d.Name == name);

        Assert.Equal(new DefinitionSave(2, Changed: true, Created: true), await store.SaveAsync(name, """{"v":2}""", _ => true));
        Assert.Equal(2, (await store.GetAsync(name, null))!.Version);
    }

    [SkippableFact]
    public async Task Concurrent_saves_of_a_new_name_get_distinct_versions()
    {
        var name = "contract.race." + Guid.NewGuid().ToString("N");
        var stores = Enumerable.Range(0, 4).Select(_ => new DapperFunctionDefinitionStore(Dialect, TimeProvider.System)).ToArray();

        var saves = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => stores[i % stores.Length].SaveAsync(name, $$"""{"i":{{i}}}"""))));

        Assert.Equal(Enumerable.Range(1, 8), saves.Select(s => s.Version).Order());
        Assert.Single(saves, s => s.Created);
    }

    [SkippableFact]
    public async Task An_unchanged_document_keeps_its_version_even_when_saved_by_many_at_once()
    {
        var name = "contract.same." + Guid.NewGuid().ToString("N");
        var stores = Enumerable.Range(0, 4).Select(_ => new DapperFunctionDefinitionStore(Dialect, TimeProvider.System)).ToArray();
        const string Document = """{"same":true}""";

        var saves = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => stores[i % stores.Length].SaveAsync(name, Document, stored => stored == Document))));

        Assert.All(saves, s => Assert.Equal(1, s.Version));
        Assert.Single(saves, s => s.Changed);
        Assert.Null(await stores[0].GetAsync(name, 2));

        const string Edited = """{"same":false}""";
        var edited = await stores[0].SaveAsync(name, Edited, stored => stored == Edited);
        Assert.Equal(new DefinitionSave(2, Changed: true, Created: false), edited);
    }

    [SkippableFact]
    public async Task Log_entries_come_back_in_order_with_their_data()
    {
        var store = new DapperExecutionLogStore(Dialect);
        var id = Guid.NewGuid().ToString("N");
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1230);
        var entries = Enumerable.Range(0, 5)
            .Select(i => new ExecutionLogEntry(at.AddMilliseconds(i), i % 2 == 0 ? "info" : "warning", $"message {i} ü", i == 3 ? JsonNode.Parse("""{"z":1,"a":[1,2]}""") : null))
            .ToList();

        await store.AppendAsync(id, entries.Take(3).ToList());
        await store.AppendAsync(id, entries.Skip(3).ToList());
        await store.AppendAsync(id, []);

        var read = await store.ListAsync(id);
        Assert.Equal(entries.Select(e => (e.At, e.Level, e.Message)), read.Select(e => (e.At, e.Level, e.Message)));
        Assert.Equal("""{"z":1,"a":[1,2]}""", read[3].Data!.ToJsonString());
        Assert.Equal(2, (await store.ListAsync(id, limit: 2)).Count);
        Assert.Empty(await store.ListAsync(id + "-other"));
    }

    private static (int, string) Version(StoredDefinition? definition) =>
        definition is null ? (0, "") : (definition.Version, definition.Document);
}
