namespace KafkaChaos.Reporting;

/// <summary>The one spelling of <see cref="CellVerdict"/>; report.html also uses it as the cell's CSS class.</summary>
public static class CellVerdictNames
{
    public static string ToName(CellVerdict verdict) => verdict switch
    {
        CellVerdict.Pass => "pass",
        CellVerdict.NoExpectations => "no expectations",
        CellVerdict.Fail => "fail",
        CellVerdict.Invalid => "invalid",
        CellVerdict.Unsupported => "unsupported",
        CellVerdict.Interrupted => "interrupted",
        CellVerdict.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, null),
    };
}
