using System.Globalization;
using System.Xml.Linq;
using KafkaChaos.Journal;

namespace KafkaChaos.Reporting;

/// <summary>
/// junit.xml: each cell is a testcase. A violated expectation or an invalid cell is a failure, with the
/// counts and example sequences; a run that broke is an error; an unsupported cell is skipped.
/// </summary>
public static class JUnitReport
{
    public static string Render(ResultsDocument results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var suiteName = results.Experiment ?? "kafka-chaos";
        var cases = results.Cells.Select(cell => Case(suiteName, cell)).Concat((results.Repetitions ?? []).Select(g => RateCase(suiteName, g))).ToList();
        var seconds = (results.EndedMs - results.StartedMs) / 1000.0;
        var suite = new XElement("testsuite",
            new XAttribute("name", suiteName),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", cases.Count(c => c.Element("failure") is not null)),
            new XAttribute("errors", cases.Count(c => c.Element("error") is not null)),
            new XAttribute("skipped", cases.Count(c => c.Element("skipped") is not null)),
            new XAttribute("time", seconds.ToString("0.###", CultureInfo.InvariantCulture)),
            new XElement("properties",
                new XElement("property", new XAttribute("name", "run_id"), new XAttribute("value", results.RunId)),
                new XElement("property", new XAttribute("name", "status"), new XAttribute("value", EnumNames<RunStatus>.ToName(results.Status)))),
            cases);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites", suite)).ToString() + "\n";
    }

    /// <summary>A repeated cell as one more test case: its rates, failed when an expectation stated as a rate was not met.</summary>
    private static XElement RateCase(string suite, RepetitionGroup group)
    {
        var testcase = new XElement("testcase", new XAttribute("classname", suite), new XAttribute("name", $"{group.Cell} over {group.Runs} repetitions"));
        var violated = group.Expectations.Where(e => !e.Met).ToList();
        if (violated.Count > 0)
        {
            testcase.Add(new XElement("failure", new XAttribute("message", string.Join("; ", violated.Select(Reports.DescribeRate))), new XAttribute("type", "rate")));
        }

        testcase.Add(new XElement("system-out", Reports.DescribeRates(group)));
        return testcase;
    }

    private static XElement Case(string suite, CellResult cell)
    {
        var testcase = new XElement("testcase", new XAttribute("classname", suite), new XAttribute("name", cell.Name));
        var counts = string.Join(", ", Ledger.LedgerCountCatalog.All.Select(c => $"{c.Name}={(c.Read(cell.Counts) is { } v ? v.ToString(CultureInfo.InvariantCulture) : "—")}"));
        switch (Reports.Verdict(cell))
        {
            case CellVerdict.Unsupported:
                testcase.Add(new XElement("skipped", new XAttribute("message", cell.Reason ?? "unsupported")));
                break;
            case CellVerdict.Invalid:
                testcase.Add(new XElement("failure", new XAttribute("message", "invalid: " + string.Join("; ", Reports.InvalidReasons(cell))), new XAttribute("type", "invalid"),
                    string.Join("\n", Reports.InvalidReasons(cell)) + "\n" + counts));
                break;
            case CellVerdict.Fail:
                var violated = (cell.Expectations ?? []).Where(e => !e.Met).ToList();
                var examples = violated.SelectMany(e => cell.Examples.TryGetValue(e.Count, out var list)
                    ? list.Select(x => $"  {e.Count}: {Reports.Describe(x)}")
                    : []);
                testcase.Add(new XElement("failure",
                    new XAttribute("message", string.Join("; ", violated.Select(e => $"expected {e.Expectation}, got {e.Got}"))),
                    new XAttribute("type", "expectation"),
                    counts + "\n" + string.Join("\n", examples)));
                break;
            case CellVerdict.Pass or CellVerdict.NoExpectations:
                break;
            default:
                testcase.Add(new XElement("error", new XAttribute("message", $"{EnumNames<RunStatus>.ToName(cell.Status)}: {cell.Reason}"), counts));
                break;
        }

        // Every anomaly that occurred, with examples, whether or not an expectation named it.
        var occurred = cell.Examples.Where(e => e.Value.Count > 0)
            .Select(e => $"{e.Key}: {string.Join("; ", e.Value.Take(3).Select(Reports.Describe))}").ToList();
        if (cell.Status != RunStatus.Unsupported)
        {
            testcase.Add(new XElement("system-out", counts + (occurred.Count > 0 ? "\n" + string.Join("\n", occurred) : "")));
        }

        return testcase;
    }
}
