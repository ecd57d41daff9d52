using System.Text.RegularExpressions;

namespace AsyncFunctions.Hosting.Tests;

/// <summary>
/// The documentation holds together: the front page stays short, and every relative link of
/// README.md and docs/*.md leads to a file of the repository and, with a <c>#fragment</c>, to a
/// heading of that page (GitHub's anchors).
/// </summary>
public sealed partial class DocLinkTests
{
    [Fact]
    public void The_readme_is_a_front_page_of_at_most_400_lines()
    {
        var lines = DocPage.Read(DocPage.Readme).Text.TrimEnd('\n').Split('\n').Length;

        Assert.True(lines <= 400, $"README.md has {lines} lines; the reference belongs under docs/.");
    }

    [Fact]
    public void Every_relative_link_leads_to_a_file_and_heading_that_exist()
    {
        var broken = new List<string>();
        foreach (var page in DocPage.All())
        {
            foreach (var (target, line) in Links(page.Text))
            {
                if (Problem(page.Path, target) is { } problem)
                {
                    broken.Add($"{page.Path} line {line}: ({target}) {problem}");
                }
            }
        }

        Assert.True(broken.Count == 0, "Broken links:\n" + string.Join('\n', broken));
    }

    [Fact]
    public void The_link_check_sees_a_missing_page_a_missing_heading_and_github_anchors()
    {
        Assert.Equal("does not exist", Problem("README.md", "docs/no-such-page.md"));
        Assert.StartsWith("has no heading", Problem("README.md", "#no-such-heading"), StringComparison.Ordinal);
        Assert.Null(Problem("README.md", "docs/README.md"));
        Assert.Equal(
            ["writing-functions-in-c", "auth-in-function-stacks", "the-embedded-default-hangfireinmemory--sqlite", "faq", "faq-1"],
            Anchors("## Writing functions in C#\n### `$auth` in function stacks\n## The embedded default: Hangfire.InMemory + SQLite\n# FAQ\n# FAQ\n```sh\n# not a heading\n```\n"));
        Assert.Equal([("a.md#b", 1), ("../c", 2)], Links("[x](a.md#b) `[not](a link)`\n![img](../c)\n```\n[in](code)\n```\n"));
    }

    /// <summary>Why the link is broken, or null when it is fine (outside links are not fetched).</summary>
    private static string? Problem(string page, string target)
    {
        if (OutsideLink().IsMatch(target))
        {
            return null;
        }

        var hash = target.IndexOf('#', StringComparison.Ordinal);
        var path = hash < 0 ? target : target[..hash];
        var fragment = hash < 0 ? null : target[(hash + 1)..];
        var directory = Path.GetDirectoryName(Path.Combine(Repository.Root, page))!;
        var full = path.Length == 0 ? Path.Combine(Repository.Root, page) : Path.GetFullPath(Path.Combine(directory, Uri.UnescapeDataString(path)));
        if (!full.StartsWith(Path.GetFullPath(Repository.Root), StringComparison.Ordinal))
        {
            return "leaves the repository";
        }

        if (!File.Exists(full) && !Directory.Exists(full))
        {
            return "does not exist";
        }

        if (fragment is null || !full.EndsWith(".md", StringComparison.Ordinal))
        {
            return null;
        }

        return Anchors(File.ReadAllText(full)).Contains(fragment) ? null : $"has no heading with the anchor #{fragment}";
    }

    /// <summary>The anchors GitHub gives the headings: lower case, punctuation dropped, spaces to hyphens, repeats numbered.</summary>
    private static List<string> Anchors(string markdown)
    {
        var anchors = new List<string>();
        var seen = new Dictionary<string, int>();
        foreach (var line in OutsideCode(markdown).Select(l => l.Text))
        {
            if (Heading().Match(line) is not { Success: true } heading)
            {
                continue;
            }

            var slug = Punctuation().Replace(heading.Groups["text"].Value.Trim().ToLowerInvariant(), "").Replace(' ', '-');
            var count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            anchors.Add(count == 0 ? slug : $"{slug}-{count}");
        }

        return anchors;
    }

    /// <summary>The targets of inline links and images, outside code blocks and code spans, with their line numbers.</summary>
    private static List<(string Target, int Line)> Links(string markdown) =>
        [.. OutsideCode(markdown).SelectMany(l => InlineLink().Matches(CodeSpan().Replace(l.Text, "")).Select(m => (m.Groups["target"].Value, l.Number)))];

    private static IEnumerable<(string Text, int Number)> OutsideCode(string markdown)
    {
        var inFence = false;
        var number = 0;
        foreach (var line in markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            number++;
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            if (!inFence)
            {
                yield return (line, number);
            }
        }
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)(\s+""[^""]*"")?\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.-]*:")]
    private static partial Regex OutsideLink();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+)$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\p{L}\p{N}\p{Mn}\p{Pc}\- ]")]
    private static partial Regex Punctuation();
}
