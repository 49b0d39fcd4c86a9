namespace KafkaChaos.Workload;

/// <summary>The spelling of <see cref="CrashPoint"/> in experiment files, flags, journals and reports.</summary>
public static class CrashPointNames
{
    private static readonly (CrashPoint Point, string Name)[] Names =
    [
        (CrashPoint.BetweenProcessAndCommit, "between-process-and-commit"),
        (CrashPoint.AfterCommit, "after-commit"),
        (CrashPoint.BetweenProcessAndMark, "between-process-and-mark"),
    ];

    public static IReadOnlyList<string> All { get; } = [.. Names.Select(n => n.Name)];

    public static string ToName(CrashPoint point) =>
        Names.FirstOrDefault(n => n.Point == point).Name ?? throw new ArgumentOutOfRangeException(nameof(point), point, null);

    public static bool TryParse(string name, out CrashPoint point)
    {
        foreach (var (p, n) in Names)
        {
            if (n == name)
            {
                point = p;
                return true;
            }
        }

        point = default;
        return false;
    }
}
