namespace KafkaChaos.Reporting;

/// <summary>The human- and CI-facing files of a run, all derived from its results.json document.</summary>
public static class Reports
{
    public const string SummaryFile = "summary.md";
    public const string JUnitFile = "junit.xml";
    public const string HtmlFile = "report.html";

    public static void WriteAll(string runDirectory, ResultsDocument results)
    {
        WriteAtomically(Path.Combine(runDirectory, SummaryFile), SummaryMarkdown.Render(results));
        WriteAtomically(Path.Combine(runDirectory, JUnitFile), JUnitReport.Render(results));
        WriteAtomically(Path.Combine(runDirectory, HtmlFile), HtmlReport.Render(results));
    }

    /// <summary>Short status words for a cell, shared by every report.</summary>
    public static string Verdict(CellResult cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return cell.Status switch
        {
            "unsupported" => "unsupported",
            "completed" when !cell.Valid => "invalid",
            "completed" when cell.Passed => "pass",
            "completed" => "fail",
            var other => other,
        };
    }

    /// <summary>Writes beside the file and renames over it, so a crash never leaves a half-written report.</summary>
    public static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
