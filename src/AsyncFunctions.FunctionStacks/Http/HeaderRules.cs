using System.Buffers;

namespace AsyncFunctions.FunctionStacks.Http;

/// <summary>
/// What request steps may write into a request's head (RFC 9110 section 5): header names are
/// tokens, and neither values nor URLs hold control characters. A CR or LF written unchecked
/// ends the header and lets a stack smuggle a second request onto the same connection.
/// </summary>
internal static class HeaderRules
{
    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>C0 controls (CR, LF, NUL, ...) and DEL; a header value may hold a horizontal tab.</summary>
    private static readonly SearchValues<char> ValueControls = SearchValues.Create(Controls(allowTab: true));

    private static readonly SearchValues<char> UrlControls = SearchValues.Create(Controls(allowTab: false));

    /// <summary>
    /// Headers that frame the message or route it (RFC 9110 sections 7.2, 7.6.1, 8.6; RFC 9112
    /// section 6.1): the HTTP client writes them from the URL and the body. A stack that sets them
    /// could make the receiver or a proxy in between read the body as a second request.
    /// </summary>
    private static readonly HashSet<string> ReservedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Upgrade",
    };

    public static bool IsValidName(string name) => name.Length > 0 && !name.AsSpan().ContainsAnyExcept(TokenChars);

    /// <summary>Whether a request step may not set the header, whatever its value.</summary>
    public static bool IsReserved(string name) => ReservedNames.Contains(name);

    public static bool IsValidValue(string value) => !value.AsSpan().ContainsAny(ValueControls);

    public static bool IsValidUrl(string url) => !url.AsSpan().ContainsAny(UrlControls);

    public static string NameRule => "a header name is letters, digits and !#$%&'*+-.^_`|~ only (request.invalid)";

    public static string ValueRule => "a header value must not hold CR, LF, NUL or other control characters (request.invalid)";

    public static string ReservedRule(string name) =>
        $"the header '{name}' is written by the platform from the URL and the body; a request step cannot set it (request.invalid)";

    public static string UrlRule => "a URL must not hold CR, LF, NUL or other control characters (request.invalid)";

    private static string Controls(bool allowTab) =>
        new([.. Enumerable.Range(0, 0x20).Select(c => (char)c).Where(c => !allowTab || c != '\t'), (char)0x7F]);
}
