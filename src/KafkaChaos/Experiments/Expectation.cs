using System.Globalization;
using KafkaChaos.Ledger;

namespace KafkaChaos.Experiments;

/// <summary>
/// One expected bound on a ledger count (<c>lost: 0</c>, <c>redeliveries: "&gt;0"</c>), for the cells
/// whose settings match <see cref="When"/> (every cell when it is empty).
/// </summary>
public sealed record Expectation(IReadOnlyDictionary<string, string> When, string Count, string Operator, long Value)
{
    /// <summary>The ledger counts an expectation may name, in results.json spelling.</summary>
    public static IReadOnlyList<string> Counts { get; } =
    [
        "sent", "acked", "failed", "unknown", "consumed", "lost", "lost_unacked", "unacked_but_delivered",
        "duplicate_writes", "redeliveries", "duplicates_processed", "phantoms", "out_of_order", "abandoned",
    ];

    /// <summary>Parses "0", "&gt;0", "&gt;=1", "&lt;5", "&lt;=10", "==3", "!=0".</summary>
    public static bool TryParseBound(string text, out string op, out long value)
    {
        text = text.Trim();
        op = new[] { ">=", "<=", "==", "!=", ">", "<" }.FirstOrDefault(o => text.StartsWith(o, StringComparison.Ordinal)) ?? "==";
        var number = text.StartsWith(op, StringComparison.Ordinal) ? text[op.Length..].Trim() : text;
        return long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    public bool AppliesTo(IReadOnlyDictionary<string, string> settings) =>
        When.All(w => settings.TryGetValue(w.Key, out var value) && value == w.Value);

    public bool IsMetBy(LedgerCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var actual = Read(counts, Count);
        return Operator switch
        {
            ">=" => actual >= Value,
            "<=" => actual <= Value,
            ">" => actual > Value,
            "<" => actual < Value,
            "!=" => actual != Value,
            _ => actual == Value,
        };
    }

    public override string ToString() =>
        $"{Count} {Operator} {Value.ToString(CultureInfo.InvariantCulture)}"
        + (When.Count > 0 ? $" when {string.Join(", ", When.Select(w => $"{w.Key}={w.Value}"))}" : "");

    public static long Read(LedgerCounts counts, string name) => name switch
    {
        "sent" => counts.Sent,
        "acked" => counts.Acked,
        "failed" => counts.Failed,
        "unknown" => counts.Unknown,
        "consumed" => counts.Consumed,
        "lost" => counts.Lost,
        "lost_unacked" => counts.LostUnacked,
        "unacked_but_delivered" => counts.UnackedButDelivered,
        "duplicate_writes" => counts.DuplicateWrites,
        "redeliveries" => counts.Redeliveries,
        "duplicates_processed" => counts.DuplicatesProcessed,
        "phantoms" => counts.Phantoms,
        "out_of_order" => counts.OutOfOrder,
        "abandoned" => counts.Abandoned,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a ledger count"),
    };
}
