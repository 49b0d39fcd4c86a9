namespace KafkaChaos.Experiments;

/// <summary>
/// The comparison operators of experiment files, for counts (<c>lost: "&gt;0"</c>) and broker versions
/// (<c>kafka_version: "&lt;0.11"</c>) alike: one list, one reading, one meaning.
/// </summary>
internal static class BoundOperator
{
    /// <summary>Longest first, so that "&gt;=" is not read as "&gt;" followed by "=".</summary>
    private static readonly string[] All = [">=", "<=", "==", "!=", ">", "<"];

    /// <summary>"&gt;= 3" as (">=", "3"); a bare operand means "==".</summary>
    public static (string Operator, string Operand) Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        var op = All.FirstOrDefault(o => text.StartsWith(o, StringComparison.Ordinal));
        return op is null ? ("==", text) : (op, text[op.Length..].Trim());
    }

    /// <summary>Whether "actual <paramref name="op"/> bound" holds, given actual compared with the bound.</summary>
    public static bool Holds(string op, int order) => op switch
    {
        ">=" => order >= 0,
        "<=" => order <= 0,
        ">" => order > 0,
        "<" => order < 0,
        "!=" => order != 0,
        _ => order == 0,
    };
}
