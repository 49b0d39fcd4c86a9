using System.Diagnostics;
using System.Xml.Linq;
using KafkaChaos.Reporting;
using NUnit.Framework;

namespace KafkaChaos.Tests.Reporting;

public class ReportTests
{
    [Test]
    public void JUnit_EachCellIsATestcase_WithFailuresSkipsAndCounts()
    {
        var xml = XDocument.Parse(JUnitReport.Render(SampleResults.Build()));

        var suite = xml.Root!.Element("testsuite")!;
        Assert.That((suite.Attribute("tests")!.Value, suite.Attribute("failures")!.Value, suite.Attribute("skipped")!.Value), Is.EqualTo(("3", "1", "1")));
        var failure = suite.Elements("testcase").Single(c => c.Attribute("name")!.Value == "acks[producer.acks=1]").Element("failure")!;
        Assert.That(failure.Attribute("message")!.Value, Is.EqualTo("expected lost == 0, got 10"));
        Assert.That(failure.Value, Does.Contain("lost=10").And.Contain("p0/4242 at partition 0 offset 1400 (nearest fault: kill-leader start on broker-2, 12 ms after)"));
    }

    [Test]
    public void Summary_HasOneRowPerCellWithVerdictAndExpectations()
    {
        var summary = SummaryMarkdown.Render(SampleResults.Build());

        Assert.That(summary, Does.Contain("| acks[producer.acks=all] | **pass** |"));
        Assert.That(summary, Does.Contain("| acks[producer.acks=1] | **fail** |").And.Contain("✘ lost == 0 (got 10)"));
        Assert.That(summary, Does.Contain("unsupported: enable.idempotence needs brokers 0.11 or later"));
    }

    [Test]
    public void Reports_OpenWithOneLinePerCell_SayingWhatWasLostAndTheNearestFault()
    {
        var results = SampleResults.Build();

        var summary = SummaryMarkdown.Render(results);
        var html = HtmlReport.Render(results);

        var lines = new[]
        {
            "acks[producer.acks=all]: nothing lost, duplicated or out of order in 20,000 messages",
            "acks[producer.acks=1]: lost 10; nearest fault: kill-leader start on broker-2, 12 ms after",
        };
        foreach (var line in lines)
        {
            Assert.That(summary, Does.Contain("- " + line));
            Assert.That(html, Does.Contain(System.Net.WebUtility.HtmlEncode(line)));
        }

        Assert.That(summary, Does.Contain("- idempotence[producer.enable.idempotence=true]: not run, enable.idempotence needs brokers 0.11 or later"));
        Assert.That(summary.IndexOf(lines[1], StringComparison.Ordinal), Is.LessThan(summary.IndexOf("| cell |", StringComparison.Ordinal)), "before any table");
        Assert.That(html.IndexOf(System.Net.WebUtility.HtmlEncode(lines[1]), StringComparison.Ordinal), Is.LessThan(html.IndexOf("<table", StringComparison.Ordinal)));
    }

    [Test]
    public void Html_OfOneCell_HasNoBarChartsAcrossCells()
    {
        var sample = SampleResults.Build();

        var one = HtmlReport.Render(sample with { Cells = [sample.Cells[1]] });
        var many = HtmlReport.Render(sample);

        Assert.That(one, Does.Not.Contain("alt=\"Lost and duplicated messages\"").And.Not.Contain("alt=\"Latency percentiles\""));
        Assert.That(one, Does.Contain("alt=\"Throughput: acks[producer.acks=1]\""));
        Assert.That(many, Does.Contain("alt=\"Lost and duplicated messages\"").And.Contain("alt=\"Latency percentiles\""));
    }

    /// <summary>The report opened in a real headless Chromium: every chart must decode as an image.</summary>
    [Test]
    public void Html_InHeadlessChromium_ShowsEveryChart()
    {
        var directory = Directory.CreateTempSubdirectory("kafka-chaos-report-").FullName;
        try
        {
            // A cell with a long name and every count above 0: the widest verdict table a run can have.
            var sample = SampleResults.Build();
            var everyCount = KafkaChaos.Ledger.LedgerCountCatalog.All.Aggregate(new KafkaChaos.Ledger.LedgerCounts(), (c, count) => Set(c, count.Name, 12_345));
            var wide = sample.Cells[1] with
            {
                Name = "acks-leader-lag[producer.acks=1,topic.min_insync_replicas=2,producer.enable.idempotence=false,broker.unclean.leader.election.enable=true]",
                Counts = everyCount,
            };
            var results = sample with { Cells = [.. sample.Cells, wide] };
            Reports.WriteAll(directory, results);
            var html = File.ReadAllText(Path.Combine(directory, Reports.HtmlFile));
            Assert.That(html, Does.Not.Contain("http://").And.Not.Contain("https://"), "self-contained: nothing fetched");

            var dom = DumpDom(Path.Combine(directory, Reports.HtmlFile));

            // Anomalies, latency, and one throughput chart per cell that ran.
            Assert.That(dom, Does.Contain("data-charts=\"7\""));
            Assert.That(dom, Does.Contain("data-charts-loaded=\"7\""), "the browser decoded all seven charts");
            Assert.That(dom, Does.Contain("data-overflow-x=\"no\""), "at 1400 px the page, verdict table and expectations included, is no wider than the window");
            Assert.That(dom, Does.Contain("Throughput: acks[producer.acks=1]"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string DumpDom(string file)
    {
        var browser = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        Assert.That(browser, Is.Not.Null, "headless Chromium is needed ('make test' installs it)");
        var profile = Directory.CreateTempSubdirectory("kafka-chaos-chromium-").FullName;
        var start = new ProcessStartInfo(browser!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", $"--user-data-dir={profile}",
                "--virtual-time-budget=5000", "--window-size=1400,1000", "--dump-dom", new Uri(file).AbsoluteUri,
            },
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var dom = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("chromium did not finish within 60 s");
        }

        Directory.Delete(profile, recursive: true);
        Assert.That(process.ExitCode, Is.Zero, stderr.Result);
        return dom;
    }

    /// <summary><paramref name="counts"/> with the count <paramref name="name"/> set to <paramref name="value"/>.</summary>
    private static KafkaChaos.Ledger.LedgerCounts Set(KafkaChaos.Ledger.LedgerCounts counts, string name, long value)
    {
        var property = typeof(KafkaChaos.Ledger.LedgerCounts).GetProperties().Single(p => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name) == name);
        var copy = counts with { };
        property.SetValue(copy, value);
        return copy;
    }
}
