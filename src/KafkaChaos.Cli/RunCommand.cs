using System.CommandLine;
using KafkaChaos.Cluster;
using KafkaChaos.Experiments;
using Spectre.Console;

namespace KafkaChaos.Cli;

/// <summary><c>kafka-chaos run</c>: the default experiment, with the workload and producer settings as flags.</summary>
public static class RunCommand
{
    public static Command Create(CancellationToken interrupt)
    {
        var image = new Option<string?>("--image") { Description = "broker image to run (one built by 'image build'); overrides --dist" };
        var dist = new Option<string?>("--dist") { Description = "Kafka distribution (folder or .tgz) to build the broker image from; default $KAFKA_DIST" };
        var baseImage = new Option<string>("--base-image") { Description = "JRE base image for built broker images", DefaultValueFactory = _ => BrokerImageBuilder.DefaultBaseImage };
        var runs = new Option<string>("--runs-dir") { Description = "where run directories are written", DefaultValueFactory = _ => "runs" };
        var messages = new Option<long>("--messages") { Description = "messages to send", DefaultValueFactory = _ => ExperimentSpec.Default.Messages };
        var rate = new Option<double>("--rate") { Description = "target send rate, messages per second (0: unthrottled)", DefaultValueFactory = _ => ExperimentSpec.Default.RatePerSecond };
        var acks = new Option<string>("--acks") { Description = "producer acks: 0, 1 or all", DefaultValueFactory = _ => "all" };
        acks.AcceptOnlyFromAmong("0", "1", "all", "-1");

        var command = new Command("run", "Run the default experiment: 3 brokers, RF 3, min.insync.replicas 2, the leader of partition 0 SIGKILLed mid-produce")
        {
            image, dist, baseImage, runs, messages, rate, acks,
        };
        command.SetAction(async (parse, _) => await CliErrors.GuardAsync(async () =>
        {
            var producer = new Dictionary<string, string>(ExperimentSpec.Default.Producer, StringComparer.Ordinal) { ["acks"] = parse.GetValue(acks)! };
            var spec = ExperimentSpec.Default with
            {
                Messages = parse.GetValue(messages),
                RatePerSecond = parse.GetValue(rate),
                Producer = producer,
                Name = $"leader-kill-acks-{parse.GetValue(acks)}",
            };

            using var engine = await DockerEngine.ConnectAsync(interrupt);
            var runsDirectory = Path.GetFullPath(parse.GetValue(runs)!);
            var (imageName, version) = await new BrokerImageBuilder(engine).ResolveAsync(
                parse.GetValue(image) ?? Environment.GetEnvironmentVariable("KAFKA_CHAOS_IMAGE"),
                parse.GetValue(dist) ?? Environment.GetEnvironmentVariable("KAFKA_DIST"),
                parse.GetValue(baseImage)!, Path.Combine(runsDirectory, ".dist"), Log, interrupt);

            var outcome = await new ExperimentRunner(engine, TimeProvider.System, Log).RunAsync(spec, imageName, version, runsDirectory, interrupt);
            var cell = outcome.Results.Cells[0];
            VerdictTable.Print($"{cell.Name} (Kafka {version})", cell.Counts, cell.HistoryTruncated);
            foreach (var fault in cell.Faults)
            {
                AnsiConsole.MarkupLine($"[grey]fault[/] {Markup.Escape(fault.Fault)} [grey]{Markup.Escape(fault.Phase.ToString())}[/] {Markup.Escape(fault.Target)}: {Markup.Escape(fault.Detail)}");
            }

            AnsiConsole.MarkupLine($"journal and results: [bold]{Markup.Escape(outcome.RunDirectory)}[/]");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void Log(string line) => Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} {line}");
}
