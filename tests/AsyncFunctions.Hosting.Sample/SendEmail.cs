using System.Text.Json.Nodes;
using AsyncFunctions.Functions;
using AsyncFunctions.Inputs;
using AsyncFunctions.Running;

namespace AsyncFunctions.Hosting.Sample;

/// <summary><c>send_email</c>: sends one email through the app's <see cref="IEmailSender"/>, retried on failure.</summary>
public sealed class SendEmail(IEmailSender sender) : IAsyncFunction
{
    public const string Name = "send_email";

    public static void Declare(CodeFunctionRegistration function) => function
        .Describe("Sends one email.")
        .Input(new InputDeclaration { Name = "to", Type = InputType.Text, Required = true, Pattern = ".+@.+" })
        .Retries(3, 5, 30, 120)                       // 3 retries, after 5 s, 30 s, 120 s
        .WithTimeout(TimeSpan.FromMinutes(2));

    public async Task<JsonNode?> RunAsync(FunctionContext context, CancellationToken cancellationToken)
    {
        var to = context.Input["to"]!.GetValue<string>();
        await sender.SendAsync(to, cancellationToken).ConfigureAwait(false);
        return new JsonObject { ["sent"] = true };
    }
}
