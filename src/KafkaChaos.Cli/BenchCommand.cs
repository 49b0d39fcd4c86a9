using System.CommandLine;
using System.Globalization;
using KafkaChaos.Bench;
using KafkaChaos.Cluster;
using KafkaChaos.Experiments;
using KafkaChaos.Reporting;
using Spectre.Console;

namespace KafkaChaos.Cli;

/// <summary>
/// <c>kafka-chaos bench [FILE]</c>: the harness against a raw client on one cluster, over a sweep of
/// message size × acks × linger × batch size × partitions × replication factor × fault, from a bench
/// file or from flags; writes bench.json, bench.md and bench.html and exits 1 when a target is missed.
/// </summary>
public static class BenchCommand
{
    public static Command Create(CancellationToken interrupt)
    {
        var flags = new BenchFlags();
        var command = new Command("bench", "Measure the harness against a raw Confluent.Kafka client: throughput, latency, CPU, allocation, with and without faults");
        flags.AddTo(command);

        command.SetAction(async (parse, _) => await CliErrors.GuardAsync(async () =>
        {
            var finalReadCount = parse.GetValue(flags.FinalReadMessages);
            if (finalReadCount is < 0 or > BenchPlan.MaxMessages)
            {
                throw new ExperimentConfigException($"--final-read-messages: '{finalReadCount}' is not a whole number 0..{BenchPlan.MaxMessages}");
            }

            var plan = flags.PlanOf(parse);

            using var engine = await DockerEngine.ConnectAsync(interrupt);
            var directory = Path.Combine(Path.GetFullPath(parse.GetValue(flags.Runs)!), $"bench-{TimeProvider.System.GetUtcNow():yyyyMMdd-HHmmss}");
            await using var cluster = await BenchCluster.StartAsync(engine, parse.GetValue(flags.Image), parse.GetValue(flags.Dist), plan.Brokers, $"bench-{Environment.ProcessId}", Log, interrupt);
            var version = cluster.Version;
            await using var tools = plan.Peers ? await cluster.StartToolContainerAsync(interrupt) : null;
            var runner = new BenchRunner(cluster, directory, TimeProvider.System, Log)
            {
                Peers = tools,
                Alternations = plan.Alternations,
                RunDuration = plan.RunDuration,
                ThroughputMessages = plan.ThroughputMessages,
                PacedDuration = plan.PacedDuration,
                PacedShares = plan.PacedShares,
                Seed = plan.Seed,
            };
            var results = new List<BenchCellResult>();
            foreach (var cell in plan.Cells)
            {
                Log($"bench cell {results.Count + 1}/{plan.Cells.Count}: {cell.Name}");
                results.Add(await runner.RunAsync(cell, interrupt));

                // After every cell, so that a later cell's failure or Ctrl-C does not lose what was measured.
                BenchReport.Write(directory, version.ToString(), plan, results, BenchTargets.Check(results));
            }

            // The final read every experiment ends with, measured on its own: 10^6 messages read whole once more.
            var finalRead = finalReadCount == 0 ? null
                : await FinalReadBench.MeasureAsync(cluster, Path.Combine(directory, "scratch"), finalReadCount, 100, 3, TimeProvider.System, Log, interrupt);
            var targets = BenchTargets.Check(results);
            BenchReport.Write(directory, version.ToString(), plan, results, targets, finalRead);
            Directory.Delete(Path.Combine(directory, "scratch"), recursive: true);
            PrintTargets(targets, results, finalRead, directory);
            return targets.All(t => t.Met) ? ExitCodes.Ok : ExitCodes.ExpectationViolated;
        }));
        return command;
    }

    /// <summary>Each target with its verdict, the faulted cells' ratios (not held to targets), the final read, and where the reports are.</summary>
    private static void PrintTargets(IReadOnlyList<BenchTargetResult> targets, List<BenchCellResult> results, FinalReadCost? finalRead, string directory)
    {
        var table = new Table().AddColumns("cell", "target", "limit", "measured", "spread", "");
        foreach (var target in targets)
        {
            table.AddRow(Markup.Escape(target.Cell), Markup.Escape(target.Target), Markup.Escape(target.Limit), Markup.Escape(target.Measured),
                Markup.Escape(target.Spread ?? ""), $"[{(target.Met ? "green" : "red")}]{Markup.Escape(target.Verdict)}[/]");
        }

        AnsiConsole.Write(table);
        foreach (var result in results.Where(r => r.Cell.Fault is not null))
        {
            AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{result.Cell.Name} (under a fault, not held to the targets): producer ratio {result.ProducerRatio:0.000}, consumer ratio {result.ConsumerRatio:0.000}")));
        }

        if (finalRead is not null)
        {
            AnsiConsole.MarkupLine(Markup.Escape(finalRead.Describe()));
        }

        AnsiConsole.MarkupLine($"bench.json, bench.md, bench.html: [bold]{Markup.Escape(directory)}[/]");
    }

    private static void Log(string line) => Console.Error.WriteLine($"{TimeProvider.System.GetLocalNow():HH:mm:ss} {line}");
}
