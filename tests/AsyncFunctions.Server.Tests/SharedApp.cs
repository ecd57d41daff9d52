namespace AsyncFunctions.Server.Tests;

/// <summary>One server per test class, with the default settings of <see cref="TestApp"/>.</summary>
public sealed class SharedApp : IDisposable
{
    public TestApp App { get; } = new();

    public void Dispose() => App.Dispose();
}
