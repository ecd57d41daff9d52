using System.Globalization;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.AspNetCore.Access;

/// <summary>
/// Checks <c>AsyncFunctions:ApiKeys</c> at start-up, naming the setting that is wrong. Outside
/// Development at least one key is required: the server does not run open.
/// </summary>
internal sealed class ApiKeyOptionsValidator(IHostEnvironment environment) : IValidateOptions<ApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var failures = new List<string>();
        if (options.Keys.Count == 0 && !environment.IsDevelopment())
        {
            failures.Add(
                $"{ApiKeyOptions.Section} holds no API key. Outside Development the server does not start without one: add " +
                $"{{ \"Name\", \"Role\", \"KeyHash\" }} items to {ApiKeyOptions.Section} (Role admin, invoker or viewer; KeyHash sha256:<hex of the key's SHA-256>).");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Keys.Count; i++)
        {
            var entry = options.Keys[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"{ApiKeyOptions.Section}:{i}");
            if (string.IsNullOrWhiteSpace(entry.Name) || entry.Name.Length > ApiKeyOptions.MaxNameLength)
            {
                failures.Add($"{at}:Name is required, at most {ApiKeyOptions.MaxNameLength} characters.");
            }
            else if (!names.Add(entry.Name))
            {
                failures.Add($"{at}:Name '{entry.Name}' is used by another key; names must be unique.");
            }

            if (entry.Role is null || !Roles.All.Contains(entry.Role, StringComparer.Ordinal))
            {
                failures.Add($"{at}:Role is '{entry.Role}'; it must be one of {string.Join(", ", Roles.All)}.");
            }

            var hasKey = !string.IsNullOrEmpty(entry.Key);
            var hasHash = !string.IsNullOrEmpty(entry.KeyHash);
            if (hasKey == hasHash)
            {
                failures.Add($"{at} needs exactly one of Key and KeyHash.");
            }
            else if (hasHash && ApiKeyHash.Parse(entry.KeyHash!) is null)
            {
                failures.Add($"{at}:KeyHash must be 'sha256:' followed by the 64 hex digits of the key's SHA-256.");
            }
            else if (hasKey && (string.IsNullOrWhiteSpace(entry.Key) || entry.Key!.Trim().Length != entry.Key.Length || entry.Key.Any(char.IsControl)))
            {
                // A key of spaces is no secret, and a bearer token is read trimmed: such a key could never be sent as written.
                failures.Add($"{at}:Key must not be blank, begin or end with white space, or hold control characters.");
            }
            else if (hasKey && entry.Key!.Length < ApiKeyHash.MinKeyLength)
            {
                failures.Add($"{at}:Key must be at least {ApiKeyHash.MinKeyLength} characters.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
