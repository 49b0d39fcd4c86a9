namespace KafkaChaos.Workload;

/// <summary>The spelling of <see cref="CrashPoint"/> in experiment files, journals and reports.</summary>
public static class CrashPointNames
{
    public static string ToName(CrashPoint point) => point switch
    {
        CrashPoint.BetweenProcessAndCommit => "between-process-and-commit",
        CrashPoint.AfterCommit => "after-commit",
        _ => throw new ArgumentOutOfRangeException(nameof(point), point, null),
    };
}
