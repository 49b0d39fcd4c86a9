using System.CommandLine;
using System.Globalization;
using KafkaChaos.Bench;
using KafkaChaos.Cluster;
using Spectre.Console;

namespace KafkaChaos.Cli;

/// <summary>
/// <c>kafka-chaos bench</c>: the harness against a raw client on one cluster, over a sweep of message
/// size × acks × linger × partitions; writes bench.json, bench.md and bench.html and exits 1 when a
/// target is missed.
/// </summary>
public static class BenchCommand
{
    public static Command Create(CancellationToken interrupt)
    {
        var image = new Option<string?>("--image") { Description = "broker image; overrides --dist" };
        var dist = new Option<string?>("--dist") { Description = "Kafka distribution to build the broker image from; default $KAFKA_DIST" };
        var brokers = new Option<int>("--brokers") { Description = "brokers in the bench cluster", DefaultValueFactory = _ => 1 };
        var sizes = new Option<string>("--sizes") { Description = "message sizes in bytes, comma-separated", DefaultValueFactory = _ => "100,1024" };
        var acks = new Option<string>("--acks") { Description = "acks values, comma-separated", DefaultValueFactory = _ => "1,all" };
        var linger = new Option<string>("--linger") { Description = "linger.ms values, comma-separated", DefaultValueFactory = _ => "5" };
        var partitions = new Option<string>("--partitions") { Description = "partition counts, comma-separated", DefaultValueFactory = _ => "3" };
        var messages = new Option<long>("--messages") { Description = "messages per unthrottled run", DefaultValueFactory = _ => 100_000 };
        var alternations = new Option<int>("--alternations") { Description = "raw/harness alternations per cell (median reported), at least 3", DefaultValueFactory = _ => 3 };
        var runs = new Option<string>("--runs-dir") { Description = "where the bench directory is written", DefaultValueFactory = _ => "runs" };
        var command = new Command("bench", "Measure the harness against a raw Confluent.Kafka client: throughput, latency, CPU, allocation")
        {
            image, dist, brokers, sizes, acks, linger, partitions, messages, alternations, runs,
        };
        command.SetAction(async (parse, _) => await CliErrors.GuardAsync(async () =>
        {
            var cells = (from size in Numbers(parse.GetValue(sizes)!, "--sizes", 44, 1 << 20)
                         from ack in parse.GetValue(acks)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                         from lingerMs in Numbers(parse.GetValue(linger)!, "--linger", 0, 60_000)
                         from partitionCount in Numbers(parse.GetValue(partitions)!, "--partitions", 1, 100)
                         select new BenchCell(size, ack, lingerMs, partitionCount)).ToList();
            if (cells.FirstOrDefault(c => c.Acks is not ("0" or "1" or "all" or "-1")) is { } bad)
            {
                throw new ClusterConfigException($"--acks: '{bad.Acks}' is not 0, 1 or all");
            }

            if (parse.GetValue(alternations) < 3 || parse.GetValue(messages) < 1000)
            {
                throw new ClusterConfigException("--alternations must be at least 3 and --messages at least 1000");
            }

            using var engine = await DockerEngine.ConnectAsync(interrupt);
            var directory = Path.Combine(Path.GetFullPath(parse.GetValue(runs)!), $"bench-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
            var (imageName, version) = await new BrokerImageBuilder(engine).ResolveAsync(
                parse.GetValue(image) ?? Environment.GetEnvironmentVariable("KAFKA_CHAOS_IMAGE"),
                parse.GetValue(dist) ?? Environment.GetEnvironmentVariable("KAFKA_DIST"),
                BrokerImageBuilder.DefaultBaseImage, Path.Combine(Path.GetTempPath(), "kafka-chaos-dist"), Log, interrupt);
            await using var cluster = await KafkaCluster.StartAsync(engine,
                new ClusterSpec(imageName, version, parse.GetValue(brokers), new Dictionary<string, string>()), $"bench-{Environment.ProcessId}", Log, interrupt);
            var runner = new BenchRunner(cluster, Path.Combine(directory, "scratch"), TimeProvider.System, Log)
            {
                Alternations = parse.GetValue(alternations),
                ThroughputMessages = parse.GetValue(messages),
            };
            var results = new List<BenchCellResult>();
            foreach (var cell in cells)
            {
                Log($"bench cell {results.Count + 1}/{cells.Count}: {cell.Name}");
                results.Add(await runner.RunAsync(cell, interrupt));
            }

            Directory.Delete(Path.Combine(directory, "scratch"), recursive: true);
            var targets = BenchTargets.Check(results);
            BenchReport.Write(directory, version.ToString(), results, targets);
            var table = new Table().AddColumns("cell", "target", "limit", "measured", "");
            foreach (var target in targets)
            {
                table.AddRow(Markup.Escape(target.Cell), Markup.Escape(target.Target), Markup.Escape(target.Limit), Markup.Escape(target.Measured),
                    target.Met ? "[green]met[/]" : "[red]MISSED[/]");
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"bench.json, bench.md, bench.html: [bold]{Markup.Escape(directory)}[/]");
            return targets.All(t => t.Met) ? ExitCodes.Ok : ExitCodes.ExpectationViolated;
        }));
        return command;
    }

    private static IEnumerable<int> Numbers(string text, string option, int min, int max) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(part =>
            int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? value
                : throw new ClusterConfigException($"{option}: '{part}' is not a whole number {min}..{max}"));

    private static void Log(string line) => Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} {line}");
}
