using System.Text.RegularExpressions;

namespace AsyncFunctions.Hosting.Tests;

/// <summary>
/// A fenced code block of a documentation page (README.md or docs/*.md), with the heading it
/// stands under, the marker comment on the line before it, if any, and what it must print.
/// </summary>
/// <remarks>
/// The conventions, for anyone writing a page (docs/README.md repeats them for contributors):
/// <list type="bullet">
/// <item><c>&lt;!-- readme-test: run --&gt;</c> on the line before a <c>```sh</c> block: the block runs
/// word for word with <c>bash -euo pipefail</c> against the shipped server (started on another
/// port, Development, no keys, embedded SQLite), with <c>BASE</c> set to its address. It must exit
/// 0, set <c>BASE=${BASE:-http://localhost:5080}</c> itself so it stands alone when pasted, pass
/// <c>-s</c> to every curl, and be followed by at least one
/// <c>&lt;!-- readme-test: prints TEXT --&gt;</c> line: text its output must contain.</item>
/// <item><c>&lt;!-- file: path --&gt;</c> on the line before a block: the block is that file of the
/// repository, word for word (C# shown this way is compiled by the build).</item>
/// </list>
/// </remarks>
internal sealed partial record ReadmeBlock(string Page, int Line, string Heading, string Info, string? Marker, string Text, IReadOnlyList<string> Prints)
{
    public const string RunMarker = "<!-- readme-test: run -->";

    public static IReadOnlyList<ReadmeBlock> Parse(string markdown, string page = DocPage.Readme)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<ReadmeBlock>();
        var heading = "";
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = Fence().Match(lines[i]);
            if (!fence.Success)
            {
                if (lines[i].StartsWith('#'))
                {
                    heading = lines[i].TrimStart('#').Trim();
                }

                continue;
            }

            var indent = fence.Groups["indent"].Value;
            var marker = i > 0 && lines[i - 1].TrimStart().StartsWith("<!--", StringComparison.Ordinal) ? lines[i - 1].Trim() : null;
            var body = new List<string>();
            var start = i;
            for (i++; i < lines.Length && lines[i].Trim() != "```"; i++)
            {
                body.Add(lines[i].StartsWith(indent, StringComparison.Ordinal) ? lines[i][indent.Length..] : lines[i]);
            }

            Assert.True(i < lines.Length, $"The code block at {page} line {start + 1} is not closed.");
            var prints = new List<string>();
            for (var next = i + 1; next < lines.Length && PrintsMarker().Match(lines[next].Trim()) is { Success: true } printed; next++)
            {
                prints.Add(printed.Groups["text"].Value);
            }

            blocks.Add(new ReadmeBlock(page, start + 1, heading, fence.Groups["info"].Value.Trim(), marker, string.Join('\n', body) + "\n", prints));
        }

        return blocks;
    }

    /// <summary>The path of <c>&lt;!-- file: path --&gt;</c>, or null.</summary>
    public string? FilePath => Marker is { } m && FileMarker().Match(m) is { Success: true } match ? match.Groups["path"].Value : null;

    public bool Runs => Marker == RunMarker;

    /// <summary>Where the block is, for messages: <c>docs/rest-api.md line 40 (under 'Event streams')</c>.</summary>
    public string Place => $"{Page} line {Line} (under '{Heading}')";

    [GeneratedRegex(@"^(?<indent>\s*)```(?<info>[^`]*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^<!--\s*file:\s*(?<path>\S+)\s*-->$")]
    private static partial Regex FileMarker();

    [GeneratedRegex(@"^<!-- readme-test: prints (?<text>.+) -->$")]
    private static partial Regex PrintsMarker();
}
