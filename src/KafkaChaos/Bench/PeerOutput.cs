using System.Globalization;
using System.Text.RegularExpressions;
using KafkaChaos.Cluster;
using KafkaChaos.Workload;

namespace KafkaChaos.Bench;

/// <summary>
/// What a peer run printed through <see cref="PeerTools"/>'s script, read into figures: how many messages
/// it handled, the seconds its own clock or the script's gave, the container's CPU, and for the producer
/// perf test its latency percentiles.
/// </summary>
/// <param name="Messages">Acknowledged (producers) or read (consumers).</param>
/// <param name="Seconds">
/// The verifiable producer: its first to its last acknowledgement, by the times it printed. The
/// producer perf test: its own figure, messages over its reported rate. The consumers: the whole run,
/// JVM start and group join included; the bench subtracts a one-record run's time.
/// </param>
/// <param name="ElapsedSeconds">The whole run, as the script timed it.</param>
/// <param name="CpuMicros">The container's CPU over the whole run, JVM start included.</param>
/// <param name="Failed">Sends the producer reported failed.</param>
/// <param name="ProduceToAck">The perf test's percentiles (ms, as µs); from the actual send, not an intended one.</param>
public sealed partial record PeerOutput(long Messages, double Seconds, double ElapsedSeconds, double CpuMicros, long Failed, LatencySummary? ProduceToAck)
{
    /// <exception cref="InfrastructureException">The tool failed or printed nothing this can read; the message holds its last words.</exception>
    public static PeerOutput Parse(PeerTool tool, string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0)
            {
                values.TryAdd(line[..space], line[(space + 1)..]);
            }
        }

        InfrastructureException Unreadable(string why) => new($"{PeerTools.Name(tool)} {why}: {Tail(output)}");
        long Number(string key) => values.TryGetValue(key, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw Unreadable($"printed no {key}");
        if (Number("exit") is var exit and not 0)
        {
            throw Unreadable($"exited with {exit}");
        }

        var elapsed = Number("elapsed_ns") / 1e9;
        var cpu = (double)Number("cpu_us");
        switch (tool)
        {
            case PeerTool.VerifiableProducer:
                var acked = Number("acked");
                var seconds = acked > 1 ? (Number("last_ms") - Number("first_ms")) / 1e3 : 0;
                return new PeerOutput(acked, seconds, elapsed, cpu, Number("failed"), null);
            case PeerTool.ProducerPerfTest:
                var summary = PerfTestSummary().Match(values.GetValueOrDefault("summary") ?? "");
                if (!summary.Success)
                {
                    throw Unreadable("printed no summary line");
                }

                long Ms(string group) => (long)(double.Parse(summary.Groups[group].Value, CultureInfo.InvariantCulture) * 1000);
                var records = long.Parse(summary.Groups["records"].Value, CultureInfo.InvariantCulture);
                var rate = double.Parse(summary.Groups["rate"].Value, CultureInfo.InvariantCulture);
                // It prints no p90 and no p99.99: those stay 0.
                var latency = new LatencySummary(records, Ms("p50"), 0, Ms("p99"), Ms("p999"), 0, Ms("max"));
                return new PeerOutput(records, rate > 0 ? records / rate : 0, elapsed, cpu, 0, latency);
            case PeerTool.ConsumerPerfTest:
                // start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec[, ...]
                var columns = (values.GetValueOrDefault("summary") ?? "").Split(',', StringSplitOptions.TrimEntries);
                if (columns.Length < 6 || !long.TryParse(columns[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out var read))
                {
                    throw Unreadable("printed no summary line");
                }

                return new PeerOutput(read, elapsed, elapsed, cpu, 0, null);
            case PeerTool.VerifiableConsumer:
                return new PeerOutput(Number("consumed"), elapsed, elapsed, cpu, 0, null);
            default:
                throw new ArgumentOutOfRangeException(nameof(tool), tool, null);
        }
    }

    private static string Tail(string output)
    {
        var text = output.Trim().ReplaceLineEndings(" | ");
        return text.Length > 600 ? "…" + text[^600..] : text;
    }

    [GeneratedRegex(@"(?<records>\d+) records sent, (?<rate>[\d.]+) records/sec \([\d.]+ MB/sec\), [\d.]+ ms avg latency, (?<max>[\d.]+) ms max latency, (?<p50>\d+) ms 50th, (?<p95>\d+) ms 95th, (?<p99>\d+) ms 99th, (?<p999>\d+) ms 99.9th")]
    private static partial Regex PerfTestSummary();
}
