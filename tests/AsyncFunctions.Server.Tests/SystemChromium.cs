namespace AsyncFunctions.Server.Tests;

/// <summary>
/// The Chromium the browser tests drive: <c>ASYNCFUNCTIONS_TEST_CHROMIUM</c> when set, else the
/// system's (Debian's <c>chromium</c> package). Playwright downloads no browser of its own here.
/// </summary>
public static class SystemChromium
{
    public const string Variable = "ASYNCFUNCTIONS_TEST_CHROMIUM";

    private static readonly string[] Candidates =
        ["/usr/bin/chromium", "/usr/lib/chromium/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

    public static string? Find() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured
            ? (File.Exists(configured) ? configured : null)
            : Candidates.FirstOrDefault(File.Exists);

    public static string SkipReason =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured
            ? $"No Chromium at {configured} ({Variable})."
            : $"No Chromium found ({string.Join(", ", Candidates)}): install Debian's chromium package (tests/test.sh does) or set {Variable} to a Chromium executable.";
}
