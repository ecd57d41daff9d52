using System.Diagnostics;
using System.Data.Common;
using System.Text;
using System.Text.Json.Nodes;
using AsyncFunctions.FunctionStacks.Compiling;
using AsyncFunctions.FunctionStacks.Data;
using AsyncFunctions.FunctionStacks.Http;
using AsyncFunctions.FunctionStacks.Model;
using AsyncFunctions.Functions;
using Dapper;

namespace AsyncFunctions.FunctionStacks.Runtime;

internal sealed partial class StackRun
{
    internal async Task RequestAsync(RequestStep step)
    {
        var url = (await EvaluateAsync(step.Url).ConfigureAwait(false));
        if (!JsonPaths.TryGetString(url, out var text) || !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new StackErrorException(StackErrorCodes.RequestInvalid, $"{step.Path}.request: expected an absolute http or https URL, got {url?.ToJsonString() ?? "null"}");
        }

        if (!HeaderRules.IsValidUrl(text))
        {
            throw new StackErrorException(StackErrorCodes.RequestInvalid, $"{step.Path}.request: {HeaderRules.UrlRule}");
        }

        var method = step.Method is null ? "GET" : (await EvaluateAsync(step.Method).ConfigureAwait(false)) is { } m && JsonPaths.TryGetString(m, out var verb) ? verb.ToUpperInvariant() : "";
        if (!RequestStep.Methods.Contains(method))
        {
            throw new StackErrorException(StackErrorCodes.RequestInvalid, $"{step.Path}.method: expected one of {string.Join(", ", RequestStep.Methods)}");
        }

        if (step.Params is not null)
        {
            uri = WithQuery(uri, (await EvaluateAsync(step.Params).ConfigureAwait(false)), step.Path + ".params");
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), uri);
        if (step.Json is not null)
        {
            request.Content = new StringContent((await EvaluateAsync(step.Json).ConfigureAwait(false))?.ToJsonString() ?? "null", Encoding.UTF8, "application/json");
        }
        else if (step.Text is not null)
        {
            var body = (await EvaluateAsync(step.Text).ConfigureAwait(false));
            request.Content = new StringContent(body is null ? "" : JsonPaths.TryGetString(body, out var s) ? s : body.ToJsonString(), Encoding.UTF8, "text/plain");
        }

        if (step.Headers is not null)
        {
            AddHeaders(request, (await EvaluateAsync(step.Headers).ConfigureAwait(false)), step.Path + ".headers");
        }

        request.Headers.Remove(StackRequestHeader.Name);
        request.Headers.TryAddWithoutValidation(StackRequestHeader.Name, context.ExecutionId);

        // The step's span names the host only: a URL's path and query may carry secrets.
        using var activity = StepSpan("request " + method, ActivityKind.Client, step.Path);
        activity?.SetTag("http.request.method", method);
        activity?.SetTag("server.address", uri.Host);

        var seconds = step.TimeoutSeconds is null
            ? services.Options.DefaultRequestTimeoutSeconds
            : (double)(await NumberInAsync(step.TimeoutSeconds, step.Path + ".timeoutSeconds", StepRanges.RequestTimeoutMin, StepRanges.TimeoutMax).ConfigureAwait(false));
        var response = await services.Requests.SendAsync(request, TimeSpan.FromSeconds(seconds), _limits.VariableBytes, step.Path, cancellationToken).ConfigureAwait(false);
        Yield(step, response);
    }

    private static Uri WithQuery(Uri uri, JsonNode? query, string path)
    {
        if (query is null)
        {
            return uri;
        }

        if (query is not JsonObject parameters)
        {
            throw TypeError(path, "the params must be an object of query parameters");
        }

        var builder = new StringBuilder(uri.Query.TrimStart('?'));
        foreach (var (name, value) in parameters)
        {
            var values = value is JsonArray array ? array.ToList() : [value];
            foreach (var item in values)
            {
                if (item is null)
                {
                    continue;
                }

                builder.Append(builder.Length > 0 ? "&" : "")
                    .Append(Uri.EscapeDataString(name)).Append('=')
                    .Append(Uri.EscapeDataString(JsonPaths.TryGetString(item, out var s) ? s : item.ToJsonString()));
            }
        }

        return new UriBuilder(uri) { Query = builder.ToString() }.Uri;
    }

    private static void AddHeaders(HttpRequestMessage request, JsonNode? headers, string path)
    {
        if (headers is null)
        {
            return;
        }

        if (headers is not JsonObject values)
        {
            throw TypeError(path, "the headers must be an object of names and texts");
        }

        foreach (var (name, value) in values)
        {
            var text = value is null ? "" : JsonPaths.TryGetString(value, out var s) ? s : value.ToJsonString();
            if (!HeaderRules.IsValidName(name) || !HeaderRules.IsValidValue(text))
            {
                // The value is left out of the message: headers often carry credentials.
                throw new StackErrorException(StackErrorCodes.RequestInvalid,
                    $"{JsonPaths.Property(path, name)}: {(HeaderRules.IsValidName(name) ? HeaderRules.ValueRule : HeaderRules.NameRule)}",
                    new JsonObject { ["header"] = name });
            }

            if (HeaderRules.IsReserved(name))
            {
                throw new StackErrorException(StackErrorCodes.RequestInvalid, $"{JsonPaths.Property(path, name)}: {HeaderRules.ReservedRule(name)}", new JsonObject { ["header"] = name });
            }

            if (request.Headers.TryAddWithoutValidation(name, text))
            {
                continue;
            }

            if (request.Content is not null)
            {
                request.Content.Headers.Remove(name);
                if (request.Content.Headers.TryAddWithoutValidation(name, text))
                {
                    continue;
                }
            }

            throw TypeError(JsonPaths.Property(path, name), $"the header '{name}' cannot be set (content headers need a body)");
        }
    }

    internal async Task QueryAsync(QueryStep step)
    {
        var parameters = new DynamicParameters();
        if (step.Parameters is not null)
        {
            var values = (await EvaluateAsync(step.Parameters).ConfigureAwait(false));
            if (values is not (null or JsonObject))
            {
                throw TypeError(step.Path + ".parameters", "the parameters must be an object");
            }

            foreach (var (name, value) in (JsonObject?)values ?? [])
            {
                parameters.Add(name, DbValues.ToParameter(value));
            }
        }

        var timeout = step.TimeoutSeconds is null ? services.Options.DefaultQueryTimeoutSeconds : (int)Math.Ceiling((await NumberInAsync(step.TimeoutSeconds, step.Path + ".timeoutSeconds", StepRanges.QueryTimeoutMin, StepRanges.TimeoutMax).ConfigureAwait(false)));
        var connection = ConnectionFor(step);
        using var activity = StepSpan("query " + step.Connection, ActivityKind.Client, step.Path);
        activity?.SetTag("db.namespace", step.Connection);
        var guard = new SqliteQueryGuard(TimeSpan.FromSeconds(timeout), _limits.VariableBytes, _limits.SqliteDatabaseBytes, cancellationToken);
        await using (connection.ConfigureAwait(false))
        {
            try
            {
                await guard.OpenAsync(connection).ConfigureAwait(false);
                var reader = await connection.ExecuteReaderAsync(new CommandDefinition(step.Sql, parameters, commandTimeout: timeout, cancellationToken: cancellationToken)).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    Yield(step, await ReadRowsAsync(reader, step).ConfigureAwait(false));
                }
            }
            catch (DbException ex) when (guard.Explain(ex, step.Path, step.Connection) is { } explained)
            {
                throw explained;
            }
            catch (DbException ex)
            {
                throw new StackErrorException(StackErrorCodes.QueryFailed, $"The query at {step.Path} failed: {ex.Message}", new JsonObject { ["connection"] = step.Connection });
            }
        }
    }

    private DbConnection ConnectionFor(QueryStep step)
    {
        try
        {
            return services.Connections.Create(step.Connection)
                ?? throw new StackErrorException(StackErrorCodes.QueryUnknownConnection, $"{step.Path}: no database connection is named '{step.Connection}'.");
        }
        catch (Exception ex) when (ex is not StackErrorException)
        {
            throw new StackErrorException(StackErrorCodes.QueryFailed, $"The query at {step.Path} cannot open the connection '{step.Connection}': {ex.Message}", new JsonObject { ["connection"] = step.Connection });
        }
    }

    /// <summary>Rows are read one at a time and measured as they come, so a large result stops at the limit instead of filling memory first.</summary>
    private async Task<JsonArray> ReadRowsAsync(DbDataReader reader, QueryStep step)
    {
        var names = new string[reader.FieldCount];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = reader.GetName(i);
            if (Array.IndexOf(names, names[i], 0, i) >= 0)
            {
                throw new StackErrorException(StackErrorCodes.QueryFailed,
                    $"The query at {step.Path} returns two columns named '{names[i]}'; give them distinct names with AS.",
                    new JsonObject { ["connection"] = step.Connection, ["column"] = names[i] });
            }
        }

        var rows = new JsonArray();
        long size = 2;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new JsonObject();
            for (var i = 0; i < names.Length; i++)
            {
                row[names[i]] = DbValues.ToJson(reader.GetValue(i));
            }

            size += SizeOf(row) + 1;
            if (size > _limits.VariableBytes)
            {
                throw new FunctionException(StackErrorCodes.LimitVariableSize,
                    $"The rows of the query at {step.Path} are more than {_limits.VariableBytes} bytes of JSON (limit.variable_size); it stopped at row {rows.Count + 1}.");
            }

            rows.Add(row);
        }

        return rows;
    }
}
