using KafkaChaos.Journal;

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
    public static CellVerdict Verdict(CellResult cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return cell.Status switch
        {
            RunStatus.Unsupported => CellVerdict.Unsupported,
            RunStatus.Interrupted => CellVerdict.Interrupted,
            RunStatus.Failed => CellVerdict.Failed,
            _ when !cell.Valid => CellVerdict.Invalid,
            _ when cell.Passed && cell.Expectations is null or { Count: 0 } => CellVerdict.NoExpectations,
            _ when cell.Passed => CellVerdict.Pass,
            _ => CellVerdict.Fail,
        };
    }

    /// <summary><see cref="Verdict"/> as every report spells it.</summary>
    public static string VerdictName(CellResult cell) => CellVerdictNames.ToName(Verdict(cell));

    /// <summary>Why a cell is invalid, for every report; results.json of schema 1 has only the faults not applied.</summary>
    public static IReadOnlyList<string> InvalidReasons(CellResult cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return cell.InvalidReasons is { Count: > 0 } reasons ? reasons : cell.FaultsNotApplied.Select(f => $"fault not applied: {f}").ToArray();
    }

    /// <summary>One example as every report writes it: message, position, what else it showed, and the nearest fault.</summary>
    public static string Describe(Ledger.AnomalyExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        var message = example.Producer is { } producer ? $"{producer}/{example.Sequence}" : "(no message)";
        var at = example.Partition is { } p ? $" at partition {p} offset {example.Offset}" : "";
        var detail = example.Detail is { } d ? $": {d}" : "";
        var fault = example.NearestFault is { } f ? $" (nearest fault: {f})" : "";
        return message + at + detail + fault;
    }

    /// <summary>
    /// One cell in one line, for the top of a report: what it lost or duplicated and the fault nearest the first
    /// example, or that it lost nothing; why it has no verdict where it has none.
    /// </summary>
    public static string Finding(CellResult cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        if (cell.Status == Journal.RunStatus.Unsupported)
        {
            return $"{cell.Name}: not run, {cell.Reason}";
        }

        if (cell.Status != Journal.RunStatus.Completed || !cell.Valid)
        {
            var why = cell.Status != Journal.RunStatus.Completed ? cell.Reason ?? EnumNames<Journal.RunStatus>.ToName(cell.Status) : string.Join("; ", InvalidReasons(cell));
            return $"{cell.Name}: no verdict, {why}";
        }

        var seen = Ledger.LedgerCountCatalog.All.Where(c => c.IsAnomaly && c.Read(cell.Counts) > 0).ToList();
        if (seen.Count == 0)
        {
            return $"{cell.Name}: nothing lost, duplicated or out of order in {Ledger.LedgerCountCatalog.Format(cell.Counts.Sent)} messages";
        }

        var what = string.Join(", ", seen.Select(c => $"{c.Name} {Ledger.LedgerCountCatalog.Format(c.Read(cell.Counts))}"));
        var nearest = seen.Select(c => cell.Examples.TryGetValue(c.Name, out var examples) ? examples.FirstOrDefault(e => e.NearestFault is not null)?.NearestFault : null)
            .FirstOrDefault(f => f is not null);
        return $"{cell.Name}: {what}{(nearest is null ? "" : $"; nearest fault: {nearest}")}";
    }

    /// <summary>A repeated cell's rates as every report writes them: "5 runs, varies: lost seen in 3 of 5 (23%–88%); …".</summary>
    public static string DescribeRates(RepetitionGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var seen = group.Seen.Count == 0 ? "no count above 0 in any run" : string.Join("; ", group.Seen.Select(s => $"{s.Count} {s}"));
        return $"{group.Runs} run(s){(group.Varies ? ", varies" : "")}: {seen}";
    }

    /// <summary>✔ or ✘ for one cell's expectation; · for one stated as a rate, which only the repetitions together judge.</summary>
    public static string Mark(ExpectationResult expectation)
    {
        ArgumentNullException.ThrowIfNull(expectation);
        return expectation.AtLeast is not null ? "·" : expectation.Met ? "✔" : "✘";
    }

    /// <summary>A repeated cell in one word: pass or fail against its rate expectations; without any, whether its outcome varied.</summary>
    public static string RateVerdict(RepetitionGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        return group.Expectations.Count == 0 ? (group.Varies ? "varies" : "steady") : group.Passed ? "pass" : "fail";
    }

    /// <summary>A rate expectation's outcome: "lost > 0 in at least 3 of the repetitions: held in 4 of 5".</summary>
    public static string DescribeRate(RateExpectationResult expectation)
    {
        ArgumentNullException.ThrowIfNull(expectation);
        return $"{expectation.Expectation}: held in {expectation.Held} of {expectation.Runs}";
    }

    /// <summary>Said once under every table of cells judged without a final read.</summary>
    public const string NoFinalReadNote = "no final read of the log (the run did not complete, or its journal predates it): 'lost' counts acked messages no consumer read, and '—' marks counts that need the final log";

    /// <summary>Writes beside the file and renames over it, so a crash never leaves a half-written report.</summary>
    public static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
