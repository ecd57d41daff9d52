namespace AsyncFunctions.Hosting.Tests;

/// <summary>The README's code that names a file of the repository is that file, word for word.</summary>
public sealed class ReadmeCodeTests
{
    [Fact]
    public void Every_block_marked_with_a_file_is_that_file()
    {
        var blocks = ReadmeBlock.Parse(Repository.Readme).Where(b => b.FilePath is not null).ToList();

        foreach (var block in blocks)
        {
            var path = Path.Combine(Repository.Root, block.FilePath!);
            Assert.True(File.Exists(path), $"The README shows {block.FilePath}, which does not exist.");
            var file = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
            Assert.True(file == block.Text, $"The README's copy of {block.FilePath} (under '{block.Heading}') differs from the file:\n{block.Text}");
        }

        Assert.Superset(
            new HashSet<string>
            {
                "src/AsyncFunctions.Server/Program.cs",
                "src/AsyncFunctions.Server/Examples/EchoFunction.cs",
                "tests/AsyncFunctions.Hosting.Sample/AsyncFunctions.Hosting.Sample.csproj",
                "tests/AsyncFunctions.Hosting.Sample/Program.cs",
                "tests/AsyncFunctions.Hosting.Sample/GreetFunction.cs",
            },
            blocks.Select(b => b.FilePath!).ToHashSet());
    }

    [Fact]
    public void The_registration_line_the_readme_shows_is_the_one_the_server_uses()
    {
        const string line = "functions.AddFunction<EchoFunction>(EchoFunction.Name, EchoFunction.Declare);";
        var registration = File.ReadAllText(Path.Combine(Repository.Root, "src/AsyncFunctions.Server/Examples/ExampleRegistration.cs"));

        Assert.Contains(line, registration, StringComparison.Ordinal);
        Assert.Contains(ReadmeBlock.Parse(Repository.Readme), b => b.Heading == "Adding your own C# functions" && b.Text.Contains(line, StringComparison.Ordinal));
    }
}
