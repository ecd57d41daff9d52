using System.Globalization;
using AsyncFunctions.Executions;

namespace AsyncFunctions.Storage;

/// <summary>Paging cursors: the position of the last row of a page, opaque to callers.</summary>
public static class ExecutionCursor
{
    public static string Encode(long seq) =>
        Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes("s" + seq.ToString(CultureInfo.InvariantCulture))).TrimEnd('=');

    /// <summary>Throws <see cref="InvalidCursorException"/> for a cursor this store did not issue.</summary>
    public static long Decode(string cursor)
    {
        try
        {
            var padded = cursor.PadRight(cursor.Length + ((4 - (cursor.Length % 4)) % 4), '=');
            var text = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(padded));
            if (text.StartsWith('s') && long.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            {
                return seq;
            }
        }
        catch (FormatException)
        {
        }

        throw new InvalidCursorException(cursor);
    }
}
