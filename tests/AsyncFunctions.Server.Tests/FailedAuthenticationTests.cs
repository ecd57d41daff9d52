using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace AsyncFunctions.Server.Tests;

/// <summary>
/// Wrong keys are limited per client address (sign-in strictest): past the limit every key attempt
/// from the address gets 429 with Retry-After, the right key too. Rejections are counted in a
/// metric and kept out of the Information log.
/// </summary>
public sealed partial class FailedAuthenticationTests
{
    [Fact]
    public async Task Past_its_wrong_key_limit_an_address_gets_429_with_retry_after_even_for_a_right_key()
    {
        using var app = new TestApp(workers: 0, settings: new Dictionary<string, string?>
        {
            ["AsyncFunctions:RateLimits:FailedKeys:PermitPerSecond"] = "0.001",
            ["AsyncFunctions:RateLimits:FailedKeys:Burst"] = "3",
        });
        using var wrong = app.ClientAs(TestKeys.Wrong);
        using var right = app.ClientAs(TestKeys.Admin);
        using var none = app.ClientAs(null);
        Assert.Equal(HttpStatusCode.OK, (await right.GetAsync(new Uri("/api/functions", UriKind.Relative))).StatusCode);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await wrong.GetAsync(new Uri("/api/functions", UriKind.Relative));
            statuses.Add(response.StatusCode);
        }

        using var throttled = await wrong.GetAsync(new Uri("/api/functions", UriKind.Relative));
        using var rightButThrottled = await right.GetAsync(new Uri("/api/functions", UriKind.Relative));
        using var health = await none.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal("application/problem+json", throttled.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, JsonNode.Parse(await throttled.Content.ReadAsStringAsync())!["status"]!.GetValue<int>());
        Assert.True(throttled.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, $"Retry-After: {throttled.Headers.RetryAfter}");
        Assert.Equal(HttpStatusCode.TooManyRequests, rightButThrottled.StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, health.StatusCode);
    }

    [Fact]
    public async Task Past_its_wrong_sign_in_limit_an_address_gets_429_with_retry_after_even_for_a_right_key()
    {
        using var app = new TestApp(workers: 0, settings: new Dictionary<string, string?>
        {
            ["AsyncFunctions:RateLimits:FailedSignIns:PermitPerSecond"] = "0.001",
            ["AsyncFunctions:RateLimits:FailedSignIns:Burst"] = "2",
        });
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }).As(null);

        var statuses = new List<HttpStatusCode>();
        foreach (var key in new[] { TestKeys.Wrong, TestKeys.Wrong, TestKeys.Wrong, TestKeys.Admin })
        {
            using var response = await SignInAsync(browser, key);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, $"Retry-After: {response.Headers.RetryAfter}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Wrong_keys_are_counted_in_a_metric_and_not_logged_at_information()
    {
        var logs = new InformationLogs();
        using var app = new TestApp(workers: 0);
        using var logged = app.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        using var listener = new MeterListener();
        long failures = 0;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "asyncfunctions.auth.failures")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref failures, value));
        listener.Start();
        using var wrong = logged.CreateClient().As(TestKeys.Wrong);

        for (var i = 0; i < 10; i++)
        {
            using var response = await wrong.GetAsync(new Uri("/api/functions", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.True(Interlocked.Read(ref failures) >= 10, $"Counted {failures} failures.");
        Assert.DoesNotContain(logs.Lines, line => line.Contains("ApiKey", StringComparison.Ordinal) || line.Contains("not authenticated", StringComparison.Ordinal));
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string key)
    {
        var page = await browser.GetStringAsync(new Uri("/sign-in?returnUrl=%2Fhangfire", UriKind.Relative));
        var token = HiddenToken().Match(page);
        return await browser.PostAsync(new Uri("/sign-in", UriKind.Relative), new FormUrlEncodedContent(
            [new(token.Groups[1].Value, WebUtility.HtmlDecode(token.Groups[2].Value)), new("key", key), new("returnUrl", "/hangfire")]));
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\">")]
    private static partial Regex HiddenToken();

    /// <summary>Keeps every line logged at Information or above, with its category.</summary>
    private sealed class InformationLogs : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(InformationLogs logs, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    logs.Lines.Enqueue($"{category}: {formatter(state, exception)}");
                }
            }
        }
    }
}
