using System.CommandLine;
using KafkaChaos.Bench;
using KafkaChaos.Cluster;
using KafkaChaos.Experiments;
using KafkaChaos.Faults;

namespace KafkaChaos.Cli;

/// <summary>
/// The flags of <c>bench</c>, held apart from what a bench does with them, with the one reading of them into a
/// <see cref="BenchPlan"/>: a bench file's plan, or the sweep the flags give.
/// </summary>
internal sealed class BenchFlags
{
    public Argument<string?> File { get; } = new("file") { Description = "a bench file (docs/bench.md); without one, the sweep comes from the flags", Arity = ArgumentArity.ZeroOrOne };

    public Option<string?> Image { get; } = new("--image") { Description = "broker image; overrides --dist" };

    public Option<string?> Dist { get; } = new("--dist") { Description = "Kafka distribution to build the broker image from; default $KAFKA_DIST" };

    public Option<int> Brokers { get; } = new("--brokers") { Description = "brokers in the bench cluster", DefaultValueFactory = _ => 1 };

    public Option<string> Sizes { get; } = new("--sizes") { Description = "message sizes in bytes, comma-separated", DefaultValueFactory = _ => "100,1024" };

    public Option<string> Acks { get; } = new("--acks") { Description = "acks values, comma-separated", DefaultValueFactory = _ => "1,all" };

    public Option<string> Linger { get; } = new("--linger") { Description = "linger.ms values, comma-separated", DefaultValueFactory = _ => "5" };

    public Option<string> Batch { get; } = new("--batch-size") { Description = "producer batch.size values in bytes, or default, comma-separated (the bench file's batch_size)", DefaultValueFactory = _ => "default" };

    public Option<string> Partitions { get; } = new("--partitions") { Description = "partition counts, comma-separated", DefaultValueFactory = _ => "3" };

    public Option<string> Replication { get; } = new("--replication-factor") { Description = "bench topic replication factors, comma-separated", DefaultValueFactory = _ => "1" };

    public Option<string> Faults { get; } = new("--fault")
    {
        Description = $"fault kinds, comma-separated (the bench file's fault): none, or a broker or network fault ({string.Join(", ", FaultKinds.All.Where(k => !FaultKinds.IsClientSide(k)))}), applied 1 s into every timed run and healed 5 s later",
        DefaultValueFactory = _ => "none",
    };

    public Option<string> Duration { get; } = new("--duration") { Description = "length of each unthrottled run; its message count is the warm-up raw rate times this", DefaultValueFactory = _ => "3s" };

    public Option<string> PacedDuration { get; } = new("--paced-duration") { Description = "length of each paced (latency) run", DefaultValueFactory = _ => "3s" };

    public Option<string> PacedShares { get; } = new("--paced-shares") { Description = "shares of the raw client's maximum sustained rate at which latency is measured, comma-separated", DefaultValueFactory = _ => "0.1,0.5,0.8" };

    public Option<long?> Messages { get; } = new("--messages") { Description = "fix the messages per unthrottled run instead of deriving them from --duration" };

    public Option<int> Alternations { get; } = new("--alternations") { Description = "raw/harness alternations per measurement (medians reported), at least 3", DefaultValueFactory = _ => 3 };

    public Option<bool> Peers { get; } = new("--peers")
    {
        Description = "also run Kafka's own clients (verifiable producer and consumer, producer and consumer perf tests) in the same rounds (the bench file's runs.peers)",
    };

    public Option<string> Runs { get; } = new("--runs-dir") { Description = "where the bench directory is written", DefaultValueFactory = _ => "runs" };

    public Option<long> FinalReadMessages { get; } = new("--final-read-messages")
    {
        Description = "messages in the topic whose final read is measured after the sweep; 0 skips it",
        DefaultValueFactory = _ => 1_000_000,
    };

    /// <summary>What a bench file decides itself; given beside a file, these would be silently ignored.</summary>
    public Option[] SweepOptions => [Brokers, Sizes, Acks, Linger, Batch, Partitions, Replication, Faults, Duration, PacedDuration, PacedShares, Messages, Alternations, Peers];

    /// <summary>Adds the argument and every flag to <paramref name="command"/>, grouped as <c>--help</c> shows them.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Arguments.Add(File);
        foreach (var option in new Option[] { Image, Dist, Runs, FinalReadMessages }.Concat(SweepOptions))
        {
            command.Options.Add(option);
        }

        OptionGroups.Add(command, "Sweep (instead of a file)", Sizes, Acks, Linger, Batch, Partitions, Replication, Faults);
        OptionGroups.Add(command, "Runs", Duration, PacedDuration, PacedShares, Messages, Alternations, Peers, FinalReadMessages);
        OptionGroups.Add(command, "Cluster", Image, Dist, Brokers);
        OptionGroups.Add(command, "Output", Runs);
    }

    /// <summary>The bench file's plan, or the sweep the flags give; a sweep flag beside a file is refused.</summary>
    public BenchPlan PlanOf(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.GetValue(File) is { } path)
        {
            if (SweepOptions.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } given)
            {
                throw new ExperimentConfigException($"{given.Name}: the bench file {path} gives the sweep; edit the file instead of passing {given.Name}");
            }

            return BenchFile.Load(path);
        }

        return FromOptions(parse.GetValue(Brokers), parse.GetValue(Sizes)!, parse.GetValue(Acks)!, parse.GetValue(Linger)!, parse.GetValue(Batch)!,
            parse.GetValue(Partitions)!, parse.GetValue(Replication)!, parse.GetValue(Faults)!, parse.GetValue(Duration)!, parse.GetValue(PacedDuration)!,
            parse.GetValue(PacedShares)!, parse.GetValue(Messages), parse.GetValue(Alternations)) with { Peers = parse.GetValue(Peers) };
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

        var runDuration = DurationOf(duration, "--duration");
        var paced = DurationOf(pacedDuration, "--paced-duration");
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

    private static TimeSpan DurationOf(string text, string option) =>
        KafkaChaos.Experiments.Settings.SettingKinds.TryParseDuration(text, out var value) && value >= BenchPlan.MinRunDuration && value <= BenchPlan.MaxRunDuration
            ? value
            : throw new ExperimentConfigException($"{option}: '{text}' is not a duration 1 s..10 min, such as 3s");
}
