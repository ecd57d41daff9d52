using AsyncFunctions.Server.Configuration;

var builder = WebApplication.CreateBuilder(args);
builder.AddAsyncFunctionsServer();

var app = builder.Build();
app.MapAsyncFunctionsServer();
app.Run();

/// <summary>The server's entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
