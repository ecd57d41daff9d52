namespace AsyncFunctions.Webhooks;

/// <summary>The rule every callback URL follows, wherever it is given (a start, a stack document, a C# registration).</summary>
public static class CallbackUrl
{
    public const int MaxLength = 2048;

    /// <summary>Why <paramref name="text"/> is not a callback URL, or null when it is one.</summary>
    public static string? Problem(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "must be an absolute http or https URL";
        }

        if (text.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters long";
        }

        // A URL is sent as typed: a line break or other control character would end up in the request line.
        if (text.Any(c => char.IsControl(c)))
        {
            return "must not hold CR, LF, NUL or other control characters";
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
        {
            return "must be an absolute http or https URL";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "must not hold a user name or password";
        }

        return uri.Fragment.Length > 0 ? "must not have a fragment" : null;
    }
}
