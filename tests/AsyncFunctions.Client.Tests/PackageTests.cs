using System.IO.Compression;
using System.Xml.Linq;

namespace AsyncFunctions.Client.Tests;

/// <summary>
/// The NuGet packages CI builds (.ci/run packs every library of src/ into ASYNCFUNCTIONS_PACKAGES) hold
/// a README, the licence expression, the XML docs beside each assembly, and the commit for SourceLink.
/// Skipped where no packages were built (a local run without that variable).
/// </summary>
public sealed class PackageTests
{
    private static readonly string? Folder = Environment.GetEnvironmentVariable("ASYNCFUNCTIONS_PACKAGES");

    [SkippableTheory]
    [InlineData("AsyncFunctions.Client")]
    [InlineData("AsyncFunctions.Contracts")]
    [InlineData("AsyncFunctions.AspNetCore")]
    public void The_package_has_a_readme_a_licence_xml_docs_and_its_commit(string id)
    {
        Skip.If(string.IsNullOrEmpty(Folder), "ASYNCFUNCTIONS_PACKAGES is not set: .ci/run packs the libraries there.");
        var path = Directory.GetFiles(Folder!, $"{id}.*.nupkg").SingleOrDefault(p => !p.EndsWith(".snupkg", StringComparison.Ordinal)
            && char.IsDigit(Path.GetFileName(p)[(id.Length + 1)..][0]));
        Assert.True(path is not null, $"No {id} package in {Folder}.");

        using var package = ZipFile.OpenRead(path);
        var entries = package.Entries.Select(e => e.FullName).ToList();
        var nuspec = XDocument.Load(package.GetEntry($"{id}.nuspec")!.Open());
        var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

        Assert.Contains("README.md", entries);
        Assert.Equal("README.md", Value("readme"));
        Assert.Contains($"lib/net10.0/{id}.dll", entries);
        Assert.Contains($"lib/net10.0/{id}.xml", entries);
        Assert.False(string.IsNullOrEmpty(Value("license")));
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? "");
    }
}
