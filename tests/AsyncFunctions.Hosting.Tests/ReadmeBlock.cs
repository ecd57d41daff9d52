using System.Text.RegularExpressions;

namespace AsyncFunctions.Hosting.Tests;

/// <summary>
/// A fenced code block of the README, with the heading it stands under and the marker comment
/// on the line before it, if any (<c>&lt;!-- file: path --&gt;</c>, <c>&lt;!-- readme-test: run --&gt;</c>).
/// </summary>
internal sealed partial record ReadmeBlock(string Heading, string Info, string? Marker, string Text)
{
    public const string RunMarker = "<!-- readme-test: run -->";

    public static IReadOnlyList<ReadmeBlock> Parse(string markdown)
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

            Assert.True(i < lines.Length, $"The code block at README line {start + 1} is not closed.");
            blocks.Add(new ReadmeBlock(heading, fence.Groups["info"].Value.Trim(), marker, string.Join('\n', body) + "\n"));
        }

        return blocks;
    }

    /// <summary>The path of <c>&lt;!-- file: path --&gt;</c>, or null.</summary>
    public string? FilePath => Marker is { } m && FileMarker().Match(m) is { Success: true } match ? match.Groups["path"].Value : null;

    public bool Runs => Marker == RunMarker;

    [GeneratedRegex(@"^(?<indent>\s*)```(?<info>[^`]*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^<!--\s*file:\s*(?<path>\S+)\s*-->$")]
    private static partial Regex FileMarker();
}
