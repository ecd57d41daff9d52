using System.Security.Cryptography;
using AsyncFunctions.Executions;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.AspNetCore.Access;

/// <summary>
/// The configured keys, kept as SHA-256 hashes. A presented key is hashed and compared with every
/// configured hash in constant time, so neither the time taken nor the key's position in the list
/// tells an attacker how close a guess came.
/// </summary>
public sealed class ApiKeyRing
{
    /// <summary>The caller of requests served without keys (Development, loopback only).</summary>
    public static readonly ExecutionCaller Anonymous = new("anonymous", Roles.Admin);

    private readonly (ExecutionCaller Caller, byte[] Hash)[] _keys;

    public ApiKeyRing(IOptions<ApiKeyOptions> options, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        _keys = options.Value.Keys
            .Select(k => (new ExecutionCaller(k.Name!, k.Role!), string.IsNullOrEmpty(k.KeyHash) ? ApiKeyHash.Of(k.Key!) : ApiKeyHash.Parse(k.KeyHash)!))
            .ToArray();
        AllowsAnonymous = _keys.Length == 0 && environment.IsDevelopment();
    }

    /// <summary>No key is configured and the server runs in Development: loopback requests act as <see cref="Anonymous"/>.</summary>
    public bool AllowsAnonymous { get; }

    /// <summary>The caller a presented key belongs to, or null.</summary>
    public ExecutionCaller? Find(string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        var hash = ApiKeyHash.Of(presented);
        ExecutionCaller? found = null;
        foreach (var (caller, expected) in _keys)
        {
            // Every hash is compared; no early exit.
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                found = caller;
            }
        }

        return found;
    }

    /// <summary>
    /// A fingerprint of the configured key of this name and role, or null when none is configured:
    /// a sign-in cookie carries the one of its key, so a key replaced under the same name ends the
    /// sessions the old key opened. Derived from the key's hash, never the key itself.
    /// </summary>
    public string? FingerprintOf(ExecutionCaller caller)
    {
        foreach (var (configured, hash) in _keys)
        {
            if (configured == caller)
            {
                return Convert.ToHexString(SHA256.HashData([.. "AsyncFunctions dashboard session\n"u8, .. hash]));
            }
        }

        return null;
    }

    /// <summary>Whether a key of this name and role is still configured (a sign-in cookie outlives configuration changes).</summary>
    public bool Holds(ExecutionCaller caller) => _keys.Any(k => k.Caller == caller);
}
