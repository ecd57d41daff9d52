namespace AsyncFunctions.Hosting.Tests;

/// <summary>
/// A page of the documentation: README.md at the top of the repository or a Markdown file of
/// docs/, with its path relative to the repository's root (forward slashes).
/// </summary>
internal sealed record DocPage(string Path, string Text)
{
    public const string Readme = "README.md";

    /// <summary>README.md, then every docs/*.md in order of name, found on disk: a new page is covered without being listed.</summary>
    public static IReadOnlyList<DocPage> All()
    {
        var folder = System.IO.Path.Combine(Repository.Root, "docs");
        var docs = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.md", SearchOption.TopDirectoryOnly).Select(f => "docs/" + System.IO.Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList()
            : [];
        return [.. new[] { Readme }.Concat(docs).Select(Read)];
    }

    public static DocPage Read(string path) =>
        new(path, File.ReadAllText(System.IO.Path.Combine(Repository.Root, path)).Replace("\r\n", "\n", StringComparison.Ordinal));

    public IReadOnlyList<ReadmeBlock> Blocks => ReadmeBlock.Parse(Text, Path);

    public override string ToString() => Path;
}
