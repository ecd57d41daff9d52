using AsyncFunctions.AspNetCore.Configuration;
using AsyncFunctions.Hosting.Sample;

var builder = WebApplication.CreateBuilder(args);

// The platform, with its storage from this app's configuration (AsyncFunctions:Storage:Provider
// and ConnectionStrings:AsyncFunctions; a SQLite file asyncfunctions.db when neither is set)
// and this app's own C# functions.
builder.AddAsyncFunctions(functions => functions
    .AddFunction<GreetFunction>(GreetFunction.Name, GreetFunction.Declare));

var app = builder.Build();

// The app's own endpoints: the platform's keys, error pages and limits do not apply to them.
app.MapGet("/hello", (string? name) => $"Hello, {name ?? "world"}, from the host app");

// The platform's REST API, dashboard, sign-in, OpenAPI document and health checks.
app.MapAsyncFunctions();

app.Run();
