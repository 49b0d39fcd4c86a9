using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KafkaChaos.Experiments;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> (<c>run --shard i/n</c>): the cells a CI matrix job runs, so
/// that one experiment file spreads over machines. The assignment is stable: the plan's cells, each named with
/// its repetition, in ordinal order of their names, dealt round-robin; the same file always gives the same
/// shards, and the shards' sizes differ by at most one.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    /// <summary>The largest shard count: a CI matrix of more jobs than this is a mistake.</summary>
    public const int MaxCount = 256;

    /// <summary>Reads <c>i/n</c>; null, with the reason in <paramref name="problem"/>, when it is not one.</summary>
    public static Shard? Parse(string text, out string problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count is >= 1 and <= MaxCount && index >= 1 && index <= count)
        {
            problem = "";
            return new Shard(index, count);
        }

        problem = $"'{text}' is not a shard i/n, with 1 <= i <= n <= {MaxCount} (e.g. 1/4)";
        return null;
    }

    /// <summary>The plan's cell indexes this shard runs, in plan order.</summary>
    public IReadOnlyList<int> Cells(ExperimentPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var ranked = Enumerable.Range(0, plan.Cells.Count).OrderBy(i => plan.Cells[i].Name, StringComparer.Ordinal).ToList();
        return ranked.Where((_, rank) => (rank % Count) + 1 == Index).Order().ToList();
    }

    /// <summary>
    /// A digest of what the plan runs (each cell's name and resolved settings, in order): shards of one file share
    /// it, and shards of another file, or of the same file edited, do not.
    /// </summary>
    public static string PlanDigest(ExperimentPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var text = new StringBuilder();
        foreach (var cell in plan.Cells)
        {
            text.Append(cell.Name).Append('\n');
            foreach (var (key, value) in cell.Settings.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                text.Append(key).Append('=').Append(value).Append('\n');
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    public override string ToString() => FormattableString.Invariant($"{Index}/{Count}");
}
