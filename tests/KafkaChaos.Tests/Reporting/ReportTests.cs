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

    /// <summary>The report opened in a real headless Chromium: every chart must decode as an image.</summary>
    [Test]
    public void Html_InHeadlessChromium_ShowsEveryChart()
    {
        var directory = Directory.CreateTempSubdirectory("kafka-chaos-report-").FullName;
        try
        {
            var results = SampleResults.Build();
            Reports.WriteAll(directory, results);
            var html = File.ReadAllText(Path.Combine(directory, Reports.HtmlFile));
            Assert.That(html, Does.Not.Contain("http://").And.Not.Contain("https://"), "self-contained: nothing fetched");

            var dom = DumpDom(Path.Combine(directory, Reports.HtmlFile));

            // Anomalies, latency, and one throughput chart per cell that ran.
            Assert.That(dom, Does.Contain("data-charts=\"4\""));
            Assert.That(dom, Does.Contain("data-charts-loaded=\"4\""), "the browser decoded all four charts");
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
                "--virtual-time-budget=5000", "--dump-dom", new Uri(file).AbsoluteUri,
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
}
