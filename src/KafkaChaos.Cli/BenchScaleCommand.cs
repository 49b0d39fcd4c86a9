using System.CommandLine;
using System.Globalization;
using KafkaChaos.Bench;
using KafkaChaos.Cluster;
using KafkaChaos.Experiments;
using KafkaChaos.Reporting;
using Spectre.Console;

namespace KafkaChaos.Cli;

/// <summary>
/// <c>kafka-chaos bench-scale</c>: how the harness's cost grows with partitions, producers and messages,
/// against the raw client, one axis at a time from a baseline (the first value of each); writes
/// scale.json, scale.md and scale.html.
/// </summary>
public static class BenchScaleCommand
{
    public static Command Create(CancellationToken interrupt)
    {
        var image = new Option<string?>("--image") { Description = "broker image; overrides --dist" };
        var dist = new Option<string?>("--dist") { Description = "Kafka distribution to build the broker image from; default $KAFKA_DIST" };
        var partitions = new Option<string>("--partitions") { Description = "partition counts, comma-separated; the first is the baseline", DefaultValueFactory = _ => "3,30,300" };
        var producers = new Option<string>("--producers") { Description = "producers sending side by side, comma-separated; the first is the baseline", DefaultValueFactory = _ => "1,4,16" };
        var messages = new Option<string>("--messages")
        {
            Description = "messages per point, comma-separated; the middle one is the baseline, the first when there are fewer than 3",
            DefaultValueFactory = _ => "100000,1000000,10000000",
        };
        var size = new Option<int>("--message-size") { Description = "bytes per message", DefaultValueFactory = _ => 100 };
        var acks = new Option<string>("--acks") { Description = "0, 1 or all", DefaultValueFactory = _ => "1" };
        var runs = new Option<string>("--runs-dir") { Description = "where the bench-scale directory is written", DefaultValueFactory = _ => "runs" };
        var command = new Command("bench-scale", "Measure how the harness's CPU, memory, journal, verify and final read grow with partitions, producers and messages, against a raw client")
        {
            image, dist, partitions, producers, messages, size, acks, runs,
        };
        command.SetAction(async (parse, _) => await CliErrors.GuardAsync(async () =>
        {
            var partitionValues = Numbers(parse.GetValue(partitions)!, "--partitions", 1, 1000);
            var producerValues = Numbers(parse.GetValue(producers)!, "--producers", 1, 64);
            var messageValues = Numbers(parse.GetValue(messages)!, "--messages", BenchPlan.MinMessages, BenchPlan.MaxMessages);
            var messageSize = parse.GetValue(size);
            if (messageSize < Workload.MessageEnvelope.HeaderSize || messageSize > 1 << 20)
            {
                throw new ExperimentConfigException($"--message-size: '{messageSize}' is not a whole number {Workload.MessageEnvelope.HeaderSize}..{1 << 20}");
            }

            var ackValue = parse.GetValue(acks)!;
            if (!Workload.AcksSetting.IsValid(ackValue))
            {
                throw new ExperimentConfigException($"--acks: '{ackValue}' is not {Workload.AcksSetting.Expected}");
            }

            var baseline = new ScalePoint((int)partitionValues[0], (int)producerValues[0], messageValues.Count >= 3 ? messageValues[1] : messageValues[0]);
            var points = new List<ScalePoint> { baseline };
            points.AddRange(partitionValues.Skip(1).Select(p => baseline with { Partitions = (int)p }));
            points.AddRange(producerValues.Skip(1).Select(p => baseline with { Producers = (int)p }));
            points.AddRange(messageValues.Where(m => m != baseline.Messages).Select(m => baseline with { Messages = m }));
            points = [.. points.Distinct().OrderBy(p => p.Messages).ThenBy(p => p.Partitions).ThenBy(p => p.Producers)];

            using var engine = await DockerEngine.ConnectAsync(interrupt);
            var directory = Path.Combine(Path.GetFullPath(parse.GetValue(runs)!), $"bench-scale-{TimeProvider.System.GetUtcNow():yyyyMMdd-HHmmss}");
            await using var cluster = await BenchCluster.StartAsync(engine, parse.GetValue(image), parse.GetValue(dist), 1, $"scale-{Environment.ProcessId}", Log, interrupt);
            var machine = MachineFacts.Current(cluster.Version.ToString());
            var scratch = Path.Combine(directory, "scratch");
            var bench = new ScaleBench(cluster, scratch, TimeProvider.System, Log) { MessageSize = messageSize, Acks = ackValue };
            var results = new List<ScaleResult>();
            foreach (var point in points)
            {
                Log($"scale point {results.Count + 1}/{points.Count}: {point.Name}");
                results.Add(await bench.MeasureAsync(point, interrupt));

                // After every point, so that a failure or Ctrl-C later keeps what was measured.
                ScaleReport.Write(directory, machine, baseline, results);
            }

            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }

            AnsiConsole.Write(new Text(ScaleReport.Markdown(machine, results, ScaleGrowth.Along(baseline, results))));
            AnsiConsole.MarkupLine($"scale.json, scale.md, scale.html: [bold]{Markup.Escape(directory)}[/]");
            return results.All(r => r.Exact) ? ExitCodes.Ok : ExitCodes.ExpectationViolated;
        }));
        return command;
    }

    private static List<long> Numbers(string text, string option, long min, long max)
    {
        var values = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                ? n
                : throw new ExperimentConfigException($"{option}: '{v}' is not a whole number {min}..{max}"))
            .ToList();
        return values.Count > 0 ? values : throw new ExperimentConfigException($"{option}: give at least one value");
    }

    private static void Log(string line) => Console.Error.WriteLine($"{TimeProvider.System.GetLocalNow():HH:mm:ss} {line}");
}
