using System.CommandLine;
using System.Globalization;
using KafkaChaos.Bench;
using KafkaChaos.Cluster;
using KafkaChaos.Experiments;
using KafkaChaos.Faults;
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
        var file = new Argument<string?>("file") { Description = "a bench file (docs/bench.md); without one, the sweep comes from the flags", Arity = ArgumentArity.ZeroOrOne };
        var image = new Option<string?>("--image") { Description = "broker image; overrides --dist" };
        var dist = new Option<string?>("--dist") { Description = "Kafka distribution to build the broker image from; default $KAFKA_DIST" };
        var brokers = new Option<int>("--brokers") { Description = "brokers in the bench cluster", DefaultValueFactory = _ => 1 };
        var sizes = new Option<string>("--sizes") { Description = "message sizes in bytes, comma-separated", DefaultValueFactory = _ => "100,1024" };
        var acks = new Option<string>("--acks") { Description = "acks values, comma-separated", DefaultValueFactory = _ => "1,all" };
        var linger = new Option<string>("--linger") { Description = "linger.ms values, comma-separated", DefaultValueFactory = _ => "5" };
        var batch = new Option<string>("--batch-size") { Description = "producer batch.size values in bytes, or default, comma-separated (the bench file's batch_size)", DefaultValueFactory = _ => "default" };
        var partitions = new Option<string>("--partitions") { Description = "partition counts, comma-separated", DefaultValueFactory = _ => "3" };
        var replication = new Option<string>("--replication-factor") { Description = "bench topic replication factors, comma-separated", DefaultValueFactory = _ => "1" };
        var faults = new Option<string>("--fault")
        {
            Description = $"fault kinds, comma-separated (the bench file's fault): none, or a broker or network fault ({string.Join(", ", FaultKinds.All.Where(k => !FaultKinds.IsClientSide(k)))}), applied 1 s into every timed run and healed 5 s later",
            DefaultValueFactory = _ => "none",
        };
        var duration = new Option<string>("--duration") { Description = "length of each unthrottled run; its message count is the warm-up raw rate times this", DefaultValueFactory = _ => "3s" };
        var pacedDuration = new Option<string>("--paced-duration") { Description = "length of each paced (latency) run", DefaultValueFactory = _ => "3s" };
        var pacedShares = new Option<string>("--paced-shares") { Description = "shares of the raw client's maximum sustained rate at which latency is measured, comma-separated", DefaultValueFactory = _ => "0.1,0.5,0.8" };
        var messages = new Option<long?>("--messages") { Description = "fix the messages per unthrottled run instead of deriving them from --duration" };
        var alternations = new Option<int>("--alternations") { Description = "raw/harness alternations per measurement (medians reported), at least 3", DefaultValueFactory = _ => 3 };
        var peers = new Option<bool>("--peers")
        {
            Description = "also run Kafka's own clients (verifiable producer and consumer, producer and consumer perf tests) in the same rounds (the bench file's runs.peers)",
        };
        var runs = new Option<string>("--runs-dir") { Description = "where the bench directory is written", DefaultValueFactory = _ => "runs" };
        var finalReadMessages = new Option<long>("--final-read-messages")
        {
            Description = "messages in the topic whose final read is measured after the sweep; 0 skips it",
            DefaultValueFactory = _ => 1_000_000,
        };
        var sweepOptions = new Option[] { brokers, sizes, acks, linger, batch, partitions, replication, faults, duration, pacedDuration, pacedShares, messages, alternations, peers };
        var command = new Command("bench", "Measure the harness against a raw Confluent.Kafka client: throughput, latency, CPU, allocation, with and without faults")
        {
            file, image, dist, runs, finalReadMessages,
        };
        foreach (var option in sweepOptions)
        {
            command.Options.Add(option);
        }

        OptionGroups.Add(command, "Sweep (instead of a file)", sizes, acks, linger, batch, partitions, replication, faults);
        OptionGroups.Add(command, "Runs", duration, pacedDuration, pacedShares, messages, alternations, peers, finalReadMessages);
        OptionGroups.Add(command, "Cluster", image, dist, brokers);
        OptionGroups.Add(command, "Output", runs);

        command.SetAction(async (parse, _) => await CliErrors.GuardAsync(async () =>
        {
            var finalReadCount = parse.GetValue(finalReadMessages);
            if (finalReadCount is < 0 or > BenchPlan.MaxMessages)
            {
                throw new ExperimentConfigException($"--final-read-messages: '{finalReadCount}' is not a whole number 0..{BenchPlan.MaxMessages}");
            }

            var plan = PlanOf(parse, file, sweepOptions, brokers, sizes, acks, linger, batch, partitions, replication, faults, duration, pacedDuration, pacedShares, messages, alternations, peers);

            using var engine = await DockerEngine.ConnectAsync(interrupt);
            var directory = Path.Combine(Path.GetFullPath(parse.GetValue(runs)!), $"bench-{TimeProvider.System.GetUtcNow():yyyyMMdd-HHmmss}");
            await using var cluster = await BenchCluster.StartAsync(engine, parse.GetValue(image), parse.GetValue(dist), plan.Brokers, $"bench-{Environment.ProcessId}", Log, interrupt);
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

    /// <summary>The bench file's plan, or the sweep the flags give; a sweep flag beside a file is refused.</summary>
    private static BenchPlan PlanOf(ParseResult parse, Argument<string?> file, Option[] sweepOptions, Option<int> brokers, Option<string> sizes, Option<string> acks,
        Option<string> linger, Option<string> batch, Option<string> partitions, Option<string> replication, Option<string> faults, Option<string> duration,
        Option<string> pacedDuration, Option<string> pacedShares, Option<long?> messages, Option<int> alternations, Option<bool> peers)
    {
        if (parse.GetValue(file) is { } path)
        {
            if (sweepOptions.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } given)
            {
                throw new ExperimentConfigException($"{given.Name}: the bench file {path} gives the sweep; edit the file instead of passing {given.Name}");
            }

            return BenchFile.Load(path);
        }

        return FromOptions(parse.GetValue(brokers), parse.GetValue(sizes)!, parse.GetValue(acks)!, parse.GetValue(linger)!, parse.GetValue(batch)!,
            parse.GetValue(partitions)!, parse.GetValue(replication)!, parse.GetValue(faults)!, parse.GetValue(duration)!, parse.GetValue(pacedDuration)!,
            parse.GetValue(pacedShares)!, parse.GetValue(messages), parse.GetValue(alternations)) with { Peers = parse.GetValue(peers) };
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

    private static BenchPlan FromOptions(int brokers, string sizes, string acks, string linger, string batch, string partitions, string replication, string faults,
        string duration, string pacedDuration, string pacedShares, long? messages, int alternations)
    {
        if (ClusterSpec.BrokerCountProblem(brokers) is not null)
        {
            throw new ExperimentConfigException($"--brokers: '{brokers}' is not a whole number 1..{ClusterSpec.MaxBrokers}");
        }

        if (alternations is < BenchPlan.MinAlternations or > BenchPlan.MaxAlternations)
        {
            throw new ExperimentConfigException($"--alternations: '{alternations}' is not a whole number {BenchPlan.MinAlternations}..{BenchPlan.MaxAlternations}");
        }

        if (messages is < BenchPlan.MinMessages or > BenchPlan.MaxMessages)
        {
            throw new ExperimentConfigException($"--messages: '{messages}' is not a whole number {BenchPlan.MinMessages}..{BenchPlan.MaxMessages}");
        }

        var runDuration = Duration(duration, "--duration");
        var paced = Duration(pacedDuration, "--paced-duration");
        var shortest = runDuration < paced ? runDuration : paced;
        var faultValues = Split(faults, "--fault").Select(f => f.Text == "none"
            ? new BenchSweep.FaultValue(null, f.Where)
            : FaultKinds.All.Contains(f.Text)
                ? BenchSweep.Fault(new FaultSpec { Kind = f.Text, When = new FaultTrigger(BenchPlan.DefaultFaultAt), Duration = BenchPlan.DefaultFaultDuration }, f.Where, shortest)
                : throw new ExperimentConfigException($"--fault: '{f.Text}' is not none or one of {string.Join(", ", FaultKinds.All)}")).ToList();
        var cells = BenchSweep.Cells(brokers, Split(sizes, "--sizes"), Split(acks, "--acks"), Split(linger, "--linger"), Split(batch, "--batch-size"),
            Split(partitions, "--partitions"), Split(replication, "--replication-factor"), faultValues);
        var shares = Split(pacedShares, "--paced-shares").Select(s => BenchPlan.TryParseShare(s.Text, out var share)
            ? share
            : throw new ExperimentConfigException($"--paced-shares: '{s.Text}' is not a share of the maximum rate above 0 and at most 1, such as 0.5 or 50%")).ToList();
        if (shares.Count == 0)
        {
            throw new ExperimentConfigException("--paced-shares: give at least one share, such as 0.5");
        }

        return new BenchPlan("command line", brokers, alternations, runDuration, messages, paced, shares, 1, cells);
    }

    private static List<BenchSweep.Value> Split(string text, string option) =>
        [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(part => new BenchSweep.Value(part, option))];

    private static TimeSpan Duration(string text, string option) =>
        KafkaChaos.Experiments.Settings.SettingKinds.TryParseDuration(text, out var value) && value >= BenchPlan.MinRunDuration && value <= BenchPlan.MaxRunDuration
            ? value
            : throw new ExperimentConfigException($"{option}: '{text}' is not a duration 1 s..10 min, such as 3s");

    private static void Log(string line) => Console.Error.WriteLine($"{TimeProvider.System.GetLocalNow():HH:mm:ss} {line}");
}
