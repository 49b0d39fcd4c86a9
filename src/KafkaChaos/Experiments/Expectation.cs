using System.Globalization;
using KafkaChaos.Cluster;
using KafkaChaos.Ledger;

namespace KafkaChaos.Experiments;

/// <summary>
/// One expected bound on a ledger count (<c>lost: 0</c>, <c>redeliveries: "&gt;0"</c>), for the cells
/// whose settings match <see cref="When"/> (every cell when it is empty).
/// </summary>
public sealed record Expectation(IReadOnlyDictionary<string, string> When, string Count, string Operator, long Value)
{
    /// <summary>
    /// When set, the bound must hold in at least this many of the cell's repetitions rather than in each:
    /// how a race is stated ("acks=1 loses acknowledged messages in at least 3 of 5 runs").
    /// </summary>
    public int? AtLeast { get; init; }

    /// <summary>
    /// When set, the bound applies only to brokers of these versions: what Kafka guarantees changed with
    /// the version (leader epochs in 0.11 ended high-watermark truncation loss), and one file states both.
    /// </summary>
    public KafkaVersionBound? KafkaVersion { get; init; }

    /// <summary>True when the bound applies to a cluster of <paramref name="version"/>.</summary>
    public bool AppliesToVersion(KafkaVersion version) => KafkaVersion is not { } bound || bound.Admits(version);

    /// <summary>The ledger counts an expectation may name, in results.json spelling.</summary>
    public static IReadOnlyList<string> Counts => LedgerCountCatalog.Names;

    /// <summary>Parses "0", "&gt;0", "&gt;=1", "&lt;5", "&lt;=10", "==3", "!=0".</summary>
    public static bool TryParseBound(string text, out string op, out long value)
    {
        ArgumentNullException.ThrowIfNull(text);
        (op, var number) = BoundOperator.Split(text);
        return long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    public bool AppliesTo(IReadOnlyDictionary<string, string> settings) =>
        When.All(w => settings.TryGetValue(w.Key, out var value) && value == w.Value);

    /// <summary>False too when the history could not judge the count (a final-log count without a final read).</summary>
    public bool IsMetBy(LedgerCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (Read(counts, Count) is not { } actual)
        {
            return false;
        }

        return BoundOperator.Holds(Operator, actual.CompareTo(Value));
    }

    public override string ToString() =>
        $"{Count} {Operator} {Value.ToString(CultureInfo.InvariantCulture)}"
        + (AtLeast is { } k ? $" in at least {k.ToString(CultureInfo.InvariantCulture)} of the repetitions" : "")
        + (When.Count > 0 ? $" when {string.Join(", ", When.Select(w => $"{w.Key}={w.Value}"))}" : "")
        + (KafkaVersion is { } v ? $" on Kafka {v}" : "");

    /// <summary>The count's value, or null when the history could not judge it.</summary>
    public static long? Read(LedgerCounts counts, string name) => LedgerCountCatalog.Read(counts, name);
}
