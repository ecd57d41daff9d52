using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Tests.Support;

namespace AsyncFunctions.FunctionStacks.Tests;

/// <summary>The top-level <c>callbackUrl</c> of a function document.</summary>
public sealed class CallbackUrlDocumentTests
{
    [Fact]
    public void A_document_may_name_its_callback_url()
    {
        var function = Stacks.Compile("""{ "name": "with_callback", "callbackUrl": "https://hooks.example.com/done?source=af", "stack": [] }""");

        Assert.Equal("https://hooks.example.com/done?source=af", function.CallbackUrl);
    }

    [Fact]
    public void A_document_without_one_has_none()
    {
        Assert.Null(Stacks.Compile("""{ "name": "without_callback", "stack": [] }""").CallbackUrl);
    }

    [Theory]
    [InlineData("\"ftp://hooks.example.com/x\"", "must be an absolute http or https URL")]
    [InlineData("\"hooks.example.com/x\"", "must be an absolute http or https URL")]
    [InlineData("true", "must be an absolute http or https URL")]
    [InlineData("\"https://hooks.example.com/x#part\"", "must not have a fragment")]
    [InlineData("\"https://a:b@hooks.example.com/x\"", "must not hold a user name or password")]
    public void An_invalid_callback_url_is_a_problem_at_its_path(string value, string message)
    {
        var result = FunctionDocumentCompiler.Compile($$"""{ "name": "bad_callback", "callbackUrl": {{value}}, "stack": [] }""");

        var problem = Assert.Single(result.Problems);
        Assert.Equal(("$.callbackUrl", message), (problem.Path, problem.Message));
    }
}
