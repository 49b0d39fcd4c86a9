using System.CommandLine;
using KafkaChaos.Cluster;
using KafkaChaos.Experiments;
using KafkaChaos.Experiments.Settings;
using KafkaChaos.Faults;
using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using KafkaChaos.Reporting;
using Spectre.Console;

namespace KafkaChaos.Cli;

/// <summary><c>kafka-chaos run</c>: the default experiment, with the workload and producer settings as flags.</summary>
public static class RunCommand
{
    public static Command Create(CancellationToken interrupt)
    {
        var flags = new RunFlags();
        var command = new Command("run", "Run one experiment (default: 3 brokers, RF 3, min.insync.replicas 2, acks=all, the leader of partition 0 SIGKILLed mid-produce)");
        flags.AddTo(command);
        command.SetAction(async (parse, _) => await CliErrors.GuardAsync(() => RunAsync(parse, flags, interrupt)));
        return command;
    }

    /// <summary>
    /// A run in phases: the plan from the file or the flags, the cluster it runs on (attached, external or its
    /// own), every cell checked against that cluster, then the matrix, then the verdict on the console. Nothing
    /// starts before every phase that can refuse the input has passed.
    /// </summary>
    private static async Task<int> RunAsync(ParseResult parse, RunFlags flags, CancellationToken interrupt)
    {
        // The whole file is checked before anything starts: a bad cell fails it with exit code 2.
        var shard = flags.GivenShard(parse);
        var plan = PlanOf(parse, flags);

        // An attached cluster has the brokers it has: they are found before the cells are checked against them.
        // --attach wins over the file's cluster.attach, as every run flag that may stand beside a file does.
        var attachTarget = parse.GetValue(flags.Attach) ?? plan.Attach;
        if (attachTarget is not null)
        {
            RefuseBesideAttach(parse, [flags.Bootstrap, flags.KeepCluster, flags.Image, flags.Dist, flags.BrokerConfig, .. ClusterSettings.All.Select(flags.Of)]);
        }

        var versionGiven = flags.GivenVersion(parse);
        using var attachEngine = attachTarget is not null ? await DockerEngine.ConnectAsync(interrupt) : null;
        await using var attached = attachTarget is not null
            ? await AttachedCluster.AttachAsync(attachEngine!, attachTarget, versionGiven, $"attach-{TimeProvider.System.GetUtcNow():yyyyMMdd-HHmmss}",
                parse.GetValue(flags.BaseImage)!, Log, TimeProvider.System, interrupt)
            : null;
        if (attached is not null)
        {
            plan = OnAttached(plan, attached);
        }

        CheckCells(plan, fromFlags: parse.GetValue(flags.Experiment) is null);
        Log(shard is null ? $"{plan.Name}: {plan.Cells.Count} cell(s)" : $"{plan.Name}: shard {shard}, {shard.Cells(plan).Count} of {plan.Cells.Count} cell(s)");
        var runsDirectory = Path.GetFullPath(parse.GetValue(flags.Runs)!);
        var external = parse.GetValue(flags.Bootstrap) is { } servers ? await ExternalAsync(parse, flags, servers, versionGiven, plan, interrupt) : null;

        using var ownEngine = external is null && attachEngine is null ? await DockerEngine.ConnectAsync(interrupt) : null;
        var engine = attachEngine ?? ownEngine;
        var (imageName, version) = external is not null ? ("(external)", external.Version)
            : attached is not null ? ("(attached)", attached.Version)
            : await new BrokerImageBuilder(engine!).ResolveAsync(
                parse.GetValue(flags.Image) ?? plan.Image ?? KafkaImages.FromEnvironment(),
                DistributionPath.FromFlagOrEnvironment(parse.GetValue(flags.Dist)),
                parse.GetValue(flags.BaseImage)!, Path.Combine(runsDirectory, ".dist"), Log, interrupt,
                pull: parse.GetValue(flags.PullPolicy) != "never",
                fallback: parse.GetValue(flags.FallbackDist) is { Length: > 0 } fallbackPath ? new DistributionPath(fallbackPath, "--fallback-dist") : null);

        plan.CheckVersion(version);
        RunOutcome outcome;
        await using (var live = LiveProgress.Start())
        {
            outcome = await new MatrixRunner(engine, TimeProvider.System, live.Log) { Progress = live.Update, KeepCluster = parse.GetValue(flags.KeepCluster), Shard = shard }.RunAsync(plan, imageName, version, runsDirectory,
                (done, total, cell) => live.Log(CellLine(done, total, cell)), interrupt, external, attached);
        }

        return RunVerdict.Print(outcome, version);
    }

    /// <summary>The experiment file's plan, or one cell from the flags; a flag the file decides, given beside it, is refused.</summary>
    internal static ExperimentPlan PlanOf(ParseResult parse, RunFlags flags)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(flags);
        CheckFlagValues(parse, flags);
        if (parse.GetValue(flags.Experiment) is { } path)
        {
            if (flags.ExperimentOptions.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } given)
            {
                throw new ExperimentConfigException($"{given.Name}: the experiment file {path} sets the cluster, topic, workload, producer, consumer and faults; change the file instead of passing {given.Name}");
            }

            return ExperimentFile.Load(path);
        }

        var (spec, _) = SpecFromFlags(parse, flags);
        return new ExperimentPlan(spec.Name, "one experiment from the command line", "(command line)",
            [new PlannedCell(spec.Name, spec, spec.Describe(), new Dictionary<string, string>(), [], 1)]);
    }

    /// <summary>Each flag's value on its own, first, so that "--rate --commit" blames --rate's value, not what follows.</summary>
    internal static void CheckFlagValues(ParseResult parse, RunFlags flags)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(flags);
        foreach (var (setting, option) in flags.SpecOptions.Concat(flags.FaultOptions))
        {
            if (SettingOptions.Given(parse, option) is { } text && setting.Problem(text) is not null)
            {
                throw setting.Error(text, setting.Flag);
            }
        }
    }

    /// <summary>
    /// The one experiment the flags describe: each given flag becomes the flat setting a file would hold, with
    /// the flag as its place, and the spec is built from those by the same catalog that builds a file's cells.
    /// </summary>
    /// <returns>The spec, and the flat settings the flags gave.</returns>
    internal static (ExperimentSpec Spec, Dictionary<string, (string Value, string Where)> Given) SpecFromFlags(ParseResult parse, RunFlags flags)
    {
        var settings = new Dictionary<string, (string Value, string Where)>(StringComparer.Ordinal);
        foreach (var (setting, option) in flags.SpecOptions)
        {
            if (SettingOptions.Given(parse, option) is { } text)
            {
                settings[setting.Key] = (text, setting.Flag);
            }
        }

        AddProducerFlags(parse, flags, settings);
        var brokerSettings = KeyValueArguments.Parse(parse.GetValue(flags.BrokerConfig) ?? [], "--broker-config");
        foreach (var (key, value) in brokerSettings)
        {
            settings["broker." + key] = SettingCatalog.IsPassThrough(key, value)
                ? (value, flags.BrokerConfig.Name)
                : throw new ExperimentConfigException($"--broker-config: '{key}' is not {SettingCatalog.PassThroughForm}");
        }

        foreach (var (option, prefix) in new[] { (flags.BrokerConfigFile, "broker."), (flags.ProducerConfigFile, "producer.") })
        {
            if (parse.GetValue(option) is { } file)
            {
                PropertiesFile.AddTo(settings, PropertiesFile.Read(file, option.Name, prefix));
            }
        }

        var faultName = parse.GetValue(flags.Fault)!;
        var spec = SettingCatalog.BuildSpec("", settings, faultName == "none" ? [] : [FaultFromFlags(parse, flags, faultName)], parse.GetValue(flags.Seed));

        // A setting from a properties file is named by its file and line; one from a flag by its flag (CheckCells).
        if (ExperimentSpecValidator.Problem(spec) is { } problem && settings.TryGetValue(problem.Setting, out var given) && !SettingDescriptor.IsFlag(given.Where))
        {
            throw new ExperimentConfigException($"{given.Where}: {problem}");
        }
        return (spec with { Name = $"{faultName}-acks-{parse.GetValue(flags.Acks)}-{spec.Consumer.StrategyName}{(spec.Consumer.DedupStore ? "+dedup" : "")}" }, settings);
    }

    /// <summary>--acks and --producer-config as the producer.* settings of a file; acks given both ways must agree.</summary>
    private static void AddProducerFlags(ParseResult parse, RunFlags flags, Dictionary<string, (string Value, string Where)> settings)
    {
        var acks = parse.GetValue(flags.Acks)!;
        var acksGiven = parse.GetResult(flags.Acks) is { Implicit: false };
        if (acksGiven)
        {
            settings["producer.acks"] = (acks, flags.Acks.Name);
        }

        foreach (var (key, value) in KeyValueArguments.Parse(parse.GetValue(flags.ProducerConfig) ?? [], "--producer-config"))
        {
            if (ProducerSettings.Names(key, "acks") && acksGiven && value.Trim() != acks)
            {
                throw new ExperimentConfigException($"--producer-config: {key}={value} contradicts --acks {acks}; give acks once");
            }

            settings["producer." + key] = (value, flags.ProducerConfig.Name);
        }
    }

    /// <summary>The fault --fault names, with the fault flags given as the options of a file's fault entry.</summary>
    private static FaultSpec FaultFromFlags(ParseResult parse, RunFlags flags, string faultName)
    {
        var options = new Dictionary<string, (string Value, string Where)>(StringComparer.Ordinal);
        foreach (var (setting, option) in flags.FaultOptions)
        {
            if (SettingOptions.Given(parse, option) is { } text)
            {
                options[setting.Key] = (text, setting.Flag);
            }
        }

        return FaultSettings.Build(faultName, options);
    }

    /// <summary>The plan on the attached cluster's brokers; a broker-only setting is refused, as the user's brokers keep theirs.</summary>
    private static ExperimentPlan OnAttached(ExperimentPlan plan, AttachedCluster attached)
    {
        plan = plan with { Cells = [.. plan.Cells.Select(c => c with { Spec = c.Spec with { Brokers = attached.Access.Brokers.Brokers.Count } })] };
        if (plan.Cells.SelectMany(c => c.Spec.BrokerConfig.Keys.Select(k => (c.Name, Key: k))).FirstOrDefault(s => !AttachedCluster.TopicLevelSettings.Contains(s.Key)) is { Key: not null } brokerOnly)
        {
            throw new ExperimentConfigException($"{plan.SourcePath}: cell {brokerOnly.Name}: broker setting {brokerOnly.Key}: an attached cluster keeps its own broker settings, "
                + $"and only {string.Join(" and ", AttachedCluster.TopicLevelSettings)} can be set on the run's topic instead; drop it, or run on a cluster the tool starts");
        }

        return plan;
    }

    /// <summary>Every cell against the validator; from the flags an error names the flag, from a file the key (the loader already named the line).</summary>
    internal static void CheckCells(ExperimentPlan plan, bool fromFlags)
    {
        ArgumentNullException.ThrowIfNull(plan);
        foreach (var cell in plan.Cells)
        {
            if (ExperimentSpecValidator.Problem(cell.Spec) is { } problem)
            {
                throw new ExperimentConfigException(fromFlags ? FlagProblem(problem) : problem.ToString());
            }
        }
    }

    /// <summary>A problem of a run from flags, named by the flag that set it (and the key, where one flag sets many).</summary>
    private static string FlagProblem(SpecProblem problem) =>
        SpecSettings.Of(problem.Setting) is { } setting ? $"{setting.Flag}: {problem.Message}"
        : problem.Setting == "producer.acks" ? $"--acks: {problem.Message}"
        : problem.Setting.StartsWith("producer.", StringComparison.Ordinal) ? $"--producer-config: {problem.Setting[9..]}: {problem.Message}"
        : problem.Setting == "producer" ? $"--producer-config: {problem.Message}"
        : problem.Setting.StartsWith("broker.", StringComparison.Ordinal) ? $"--broker-config: {problem.Setting[7..]}: {problem.Message}"
        : FaultSettings.All.FirstOrDefault(f => problem.Setting.StartsWith("faults[", StringComparison.Ordinal) && problem.Setting.EndsWith("." + f.Key, StringComparison.Ordinal)) is { } option
            ? $"{option.Flag}: {problem.Message}"
        : problem.Setting.StartsWith("faults[", StringComparison.Ordinal) ? $"--fault: {problem.Message}"
        : problem.ToString();

    /// <summary>The cluster behind <c>--bootstrap</c>, at the version it serves, with the faults that can reach it.</summary>
    private static async Task<ExternalCluster> ExternalAsync(ParseResult parse, RunFlags flags, string servers, KafkaVersion? versionGiven, ExperimentPlan plan, CancellationToken interrupt)
    {
        KafkaVersion assumed;
        if (versionGiven is not null)
        {
            assumed = versionGiven;
        }
        else if (await ApiVersionsProbe.DetectAsync(servers, interrupt) is { } detected)
        {
            // The clients negotiate with the brokers themselves; the version decides which cells are supported.
            assumed = detected.Version;
            Log($"the broker at {detected.Endpoint} serves the requests of Kafka {assumed} or later (ApiVersions); --kafka-version says otherwise");
        }
        else
        {
            assumed = new KafkaVersion(3, 0, 0);
            Log($"no bootstrap server answered an ApiVersions request: Kafka {assumed} assumed; --kafka-version says otherwise");
        }

        if (parse.GetValue(flags.KeepCluster))
        {
            throw new ExperimentConfigException("--keep-cluster: --bootstrap runs against a cluster this tool did not start, so there is none to keep");
        }

        if (plan.Cells.SelectMany(c => c.Spec.Faults).FirstOrDefault(f => !FaultKinds.IsClientSide(f.Kind)) is { } brokerFault)
        {
            throw new ExperimentConfigException($"faults: {brokerFault.Kind} acts on brokers, which --bootstrap cannot reach (only restart-consumer and restart-producer apply); "
                + "for a containerised cluster, --attach <compose project> applies every fault");
        }

        return new ExternalCluster(servers, assumed, KeyValueArguments.Parse(parse.GetValue(flags.ClientConfig) ?? [], "--client-config"), TimeProvider.System);
    }

    private static string CellLine(int done, int total, CellResult cell) => cell.Status is RunStatus.Completed
        ? $"cell {done}/{total} {Reports.VerdictName(cell)}: {cell.Name}: lost={cell.Counts.Lost} duplicate_writes={cell.Counts.DuplicateWrites} never_processed={LedgerCountCatalog.Format(cell.Counts.NeverProcessed)} redeliveries={cell.Counts.Redeliveries}"
        : $"cell {done}/{total} {Reports.VerdictName(cell)}: {cell.Name}: {cell.Reason ?? EnumNames<RunStatus>.ToName(cell.Status)} (the counts cover only what was journalled before that)";

    /// <summary>What an attached cluster decides itself, or cannot be asked of it; given with --attach, it would be silently ignored.</summary>
    private static void RefuseBesideAttach(ParseResult parse, IEnumerable<Option> options)
    {
        if (options.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } given)
        {
            throw new ExperimentConfigException(given.Name == "--bootstrap"
                ? "--bootstrap: --attach finds the brokers itself; give one of the two"
                : $"{given.Name}: --attach runs on a cluster as it is, which the tool neither starts, configures nor keeps; leave {given.Name} out");
        }
    }

    private static void Log(string line) => Console.Error.WriteLine($"{TimeProvider.System.GetLocalNow():HH:mm:ss} {line}");
}
