using AsyncFunctions.FunctionStacks.Hosting;
using AsyncFunctions.Hangfire.DependencyInjection;

namespace AsyncFunctions.Server.Examples;

/// <summary>
/// The examples' C# functions, the stand-in webhook and its address for the example stacks, on
/// when <c>AsyncFunctions:Examples:Enabled</c> is true.
/// </summary>
public static class ExampleRegistration
{
    public const string EnabledKey = "AsyncFunctions:Examples:Enabled";

    public static AsyncFunctionsBuilder AddExampleFunctions(this AsyncFunctionsBuilder functions, IConfiguration configuration)
    {
        if (configuration.GetValue(EnabledKey, false))
        {
            functions.AddFunction<EchoFunction>(EchoFunction.Name, EchoFunction.Declare);
            functions.AddFunction<FailFunction>(FailFunction.Name, FailFunction.Declare);
            functions.Services.PostConfigure<FunctionStacksOptions>(o => ExampleWebhookAddress.Offer(o, configuration));
            functions.Services.AddHostedService<ExampleWebhookCheck>();
        }

        return functions;
    }

    public static WebApplication MapExampleEndpoints(this WebApplication app)
    {
        if (app.Configuration.GetValue(EnabledKey, false))
        {
            app.MapExampleWebhook();
        }

        return app;
    }
}
