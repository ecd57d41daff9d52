using AsyncFunctions.AspNetCore.Configuration;
using AsyncFunctions.Server.Examples;

var builder = WebApplication.CreateBuilder(args);
builder.AddAsyncFunctionsServer(functions =>
{
    // This server's C# functions are registered here, one line each:
    // functions.AddFunction<SendEmail>("send_email", SendEmail.Declare);
    functions.AddExampleFunctions(builder.Configuration);
});

var app = builder.Build();
app.MapAsyncFunctionsServer();
app.MapExampleEndpoints();
app.Run();

/// <summary>The server's entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
