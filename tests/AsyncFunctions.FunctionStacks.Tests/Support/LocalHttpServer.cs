using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace AsyncFunctions.FunctionStacks.Tests.Support;

/// <summary>A tiny HTTP server on 127.0.0.1 for request steps: /echo, /text, /slow, /redirect, /status/{code}, /json?base64=... (those bytes as application/json).</summary>
internal sealed class LocalHttpServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LocalHttpServer()
    {
        // A free port can be taken by someone else before the listener binds it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                listener.Start();
                _listener = listener;
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            var path = request.Url!.AbsolutePath;
            if (path == "/echo")
            {
                using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                var query = new JsonObject();
                foreach (var key in request.QueryString.AllKeys)
                {
                    query[key!] = request.QueryString[key];
                }

                var echo = new JsonObject
                {
                    ["method"] = request.HttpMethod,
                    ["query"] = query,
                    ["rawQuery"] = request.Url.Query,
                    ["header"] = request.Headers["X-Test"],
                    ["execution"] = request.Headers["AsyncFunctions-Execution"],
                    ["contentType"] = request.ContentType,
                    ["body"] = body,
                };
                await Write(response, 200, "application/json; charset=utf-8", echo.ToJsonString());
            }
            else if (path == "/json")
            {
                var bytes = Convert.FromBase64String(request.QueryString["base64"]!);
                response.StatusCode = 200;
                response.ContentType = "application/json";
                response.ContentLength64 = bytes.Length;
                await response.OutputStream.WriteAsync(bytes);
                response.Close();
            }
            else if (path == "/text")
            {
                response.Headers["X-Reply"] = "yes";
                await Write(response, 200, "text/plain", "plain words");
            }
            else if (path == "/slow")
            {
                await Task.Delay(TimeSpan.FromSeconds(20), _stop.Token).ContinueWith(_ => { });
                await Write(response, 200, "text/plain", "late");
            }
            else if (path == "/redirect")
            {
                response.RedirectLocation = "http://169.254.169.254/latest/meta-data";
                await Write(response, 302, "text/plain", "");
            }
            else if (path.StartsWith("/status/", StringComparison.Ordinal))
            {
                await Write(response, int.Parse(path["/status/".Length..], System.Globalization.CultureInfo.InvariantCulture), "application/json", """{"error":"as asked"}""");
            }
            else
            {
                await Write(response, 404, "text/plain", "not found");
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        catch (HttpListenerException)
        {
        }
    }

    private static async Task Write(HttpListenerResponse response, int status, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }
}
