namespace AsyncFunctions.Hosting.Tests;

/// <summary>The documentation's code that names a file of the repository is that file, word for word, on every page.</summary>
public sealed class ReadmeCodeTests
{
    [Fact]
    public void Every_block_marked_with_a_file_is_that_file()
    {
        var blocks = DocPage.All().SelectMany(p => p.Blocks).Where(b => b.FilePath is not null).ToList();

        foreach (var block in blocks)
        {
            var path = Path.Combine(Repository.Root, block.FilePath!);
            Assert.True(File.Exists(path), $"{block.Place} shows {block.FilePath}, which does not exist.");
            var file = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
            Assert.True(file == block.Text, $"The copy of {block.FilePath} at {block.Place} differs from the file:\n{block.Text}");
        }

        Assert.Superset(
            new HashSet<string>
            {
                "src/AsyncFunctions.Server/Program.cs",
                "src/AsyncFunctions.Server/Examples/EchoFunction.cs",
                "tests/AsyncFunctions.Hosting.Sample/AsyncFunctions.Hosting.Sample.csproj",
                "tests/AsyncFunctions.Hosting.Sample/Program.cs",
                "tests/AsyncFunctions.Hosting.Sample/GreetFunction.cs",
                "tests/AsyncFunctions.Hosting.Sample/SendEmail.cs",
                "tests/AsyncFunctions.Hosting.Sample/IEmailSender.cs",
            },
            blocks.Select(b => b.FilePath!).ToHashSet());
    }

    [Fact]
    public void The_registration_line_the_docs_show_is_the_one_the_server_uses()
    {
        const string line = "functions.AddFunction<EchoFunction>(EchoFunction.Name, EchoFunction.Declare);";
        var registration = File.ReadAllText(Path.Combine(Repository.Root, "src/AsyncFunctions.Server/Examples/ExampleRegistration.cs"));

        Assert.Contains(line, registration, StringComparison.Ordinal);
        Assert.Contains(DocPage.Read("docs/csharp-functions.md").Blocks, b => b.Heading == "Adding your own C# functions" && b.Text.Contains(line, StringComparison.Ordinal));
    }

    [Fact]
    public void The_registration_the_server_shows_in_a_comment_names_a_declaration_the_docs_sample_has()
    {
        // Program.cs tells where a registration goes with SendEmail; the docs' SendEmail must have what that line calls.
        var program = File.ReadAllText(Path.Combine(Repository.Root, "src/AsyncFunctions.Server/Program.cs"));
        var sample = File.ReadAllText(Path.Combine(Repository.Root, "tests/AsyncFunctions.Hosting.Sample/SendEmail.cs"));

        Assert.Contains("SendEmail.Declare", program, StringComparison.Ordinal);
        Assert.Contains("public static void Declare(CodeFunctionRegistration function)", sample, StringComparison.Ordinal);
    }
}
