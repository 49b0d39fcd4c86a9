using System.CommandLine;
using KafkaChaos.Cluster;
using KafkaChaos.Experiments;
using KafkaChaos.Experiments.Settings;
using KafkaChaos.Faults;
using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using KafkaChaos.Reporting;
using KafkaChaos.Workload;
using Spectre.Console;

namespace KafkaChaos.Cli;

/// <summary><c>kafka-chaos run</c>: the default experiment, with the workload and producer settings as flags.</summary>
public static class RunCommand
{
    /// <summary>The flag that sets each experiment setting, for errors in a run from flags.</summary>
    private static readonly Dictionary<string, string> FlagOf = new(StringComparer.Ordinal)
    {
        ["cluster.brokers"] = "--brokers",
        ["topic.partitions"] = "--partitions",
        ["topic.replication_factor"] = "--replication-factor",
        ["topic.min_insync_replicas"] = "--min-insync-replicas",
        ["workload.messages"] = "--messages",
        ["workload.rate"] = "--rate",
        ["workload.producers"] = "--producers",
        ["consumer.batch"] = "--batch",
        ["consumer.processing_ms"] = "--processing-ms",
    };

    public static Command Create(CancellationToken interrupt)
    {
        var image = new Option<string?>("--image") { Description = "broker image to run (one built by 'image build'); overrides --dist" };
        var dist = new Option<string?>("--dist") { Description = "Kafka distribution (folder or .tgz) to build the broker image from; default $KAFKA_DIST" };
        var fallbackDist = new Option<string?>("--fallback-dist")
        {
            Description = $"the distribution to build from when no image or distribution is named and the engine does not hold {KafkaImages.PinnedModern} ('make run' passes the offline default)",
        };
        var pullPolicy = new Option<string>("--pull") { Description = "missing: pull a named image the engine lacks (with progress); never: fail instead", DefaultValueFactory = _ => "missing" };
        pullPolicy.AcceptOnlyFromAmong("missing", "never");
        var baseImage = new Option<string>("--base-image") { Description = "JRE base image for built broker images", DefaultValueFactory = _ => BrokerImageBuilder.DefaultBaseImage };
        var runs = new Option<string>("--runs-dir") { Description = "where run directories are written", DefaultValueFactory = _ => "runs" };
        var messages = new Option<long>("--messages") { Description = "messages to send", DefaultValueFactory = _ => ExperimentSpec.Default.Messages };
        var rate = new Option<double>("--rate") { Description = "target send rate, messages per second (0: unthrottled)", DefaultValueFactory = _ => ExperimentSpec.Default.RatePerSecond };
        var producers = new Option<int>("--producers") { Description = "producer instances, 1..16, each with its own identity and an equal share of messages and rate", DefaultValueFactory = _ => 1 };
        var acks = new Option<string>("--acks") { Description = "producer acks: 0, 1 or all (-1 is all)", HelpName = "acks", DefaultValueFactory = _ => "all" };
        acks.AcceptOnlyFromAmong([.. AcksSetting.Values]);
        var producerConfig = new Option<string[]>("--producer-config")
        {
            Description = "any producer setting, in librdkafka's names, as key=value (repeatable): retries, retry.backoff.ms, delivery.timeout.ms, max.in.flight, enable.idempotence, linger.ms, batch.size, ...",
            AllowMultipleArgumentsPerToken = false,
        };
        var keys = new Option<string>("--keys") { Description = "message keys: none, sequence, fixed or random", HelpName = "keys", DefaultValueFactory = _ => "none" };
        keys.AcceptOnlyFromAmong("none", "sequence", "fixed", "random");
        var commit = new Option<string>("--commit") { Description = $"consumer commit strategy: {string.Join(", ", CommitStrategyNames.All)}", HelpName = "strategy", DefaultValueFactory = _ => "auto-commit" };
        commit.AcceptOnlyFromAmong([.. CommitStrategyNames.All]);
        var batch = new Option<int>("--batch") { Description = "records per consumer poll batch, committed together", DefaultValueFactory = _ => 1 };
        var processing = new Option<int>("--processing-ms") { Description = "how long processing one record takes, in milliseconds", DefaultValueFactory = _ => 0 };
        var dedup = new Option<bool>("--dedup") { Description = "skip records a file-backed processed-id store has seen" };
        var fault = new Option<string>("--fault") { Description = $"fault to inject: none, {string.Join(", ", FaultKinds.All)} (docs/faults.md)", HelpName = "kind", DefaultValueFactory = _ => FaultKinds.KillLeader };
        fault.AcceptOnlyFromAmong([.. FaultKinds.All, "none"]);
        var faultAt = new Option<double>("--fault-at") { Description = "seconds into the workload when the fault fires", DefaultValueFactory = _ => FaultSpec.DefaultAt.TotalSeconds };
        var faultDuration = new Option<double>("--fault-duration") { Description = "seconds the fault is held once verified, before it is healed (so it is in effect longer; results.json fault_windows has the real phases)", DefaultValueFactory = _ => FaultSpec.DefaultDuration.TotalSeconds };
        var broker = new Option<int?>("--broker") { Description = "broker id (1..N) for broker faults; default: random" };
        var partition = new Option<int?>("--partition") { Description = "partition whose leader kill-leader, kill-leader-ahead, isolate-leader or truncate-to-high-watermark hit; default: 0" };
        var delay = new Option<int>("--delay-ms") { Description = "net-delay: added latency", DefaultValueFactory = _ => 100 };
        var loss = new Option<double>("--loss-percent") { Description = "net-loss: dropped packets", DefaultValueFactory = _ => 10 };
        var crashPoint = new Option<string>("--crash-point") { Description = $"where restart-consumer kills the consumer: {string.Join(", ", CrashPointNames.All)}", HelpName = "point", DefaultValueFactory = _ => "between-process-and-commit" };
        crashPoint.AcceptOnlyFromAmong([.. CrashPointNames.All]);
        var bootstrap = new Option<string?>("--bootstrap") { Description = "run against a cluster this tool did not start (host:port,...); only restart-consumer and restart-producer faults apply" };
        var kafkaVersion = new Option<string?>("--kafka-version") { Description = "the brokers' Kafka version, for the client settings and unsupported cells: with --bootstrap (default 3.0.0), or to overrule what --attach reads from the brokers" };
        var attach = new Option<string?>("--attach")
        {
            Description = "run on a containerised cluster this tool did not start, with every fault: a compose project, a container label key=value, or a cluster id from 'cluster status'",
            HelpName = "target",
        };
        var clientConfig = new Option<string[]>("--client-config") { Description = "with --bootstrap: a client setting, key=value (repeatable): security.protocol, sasl.*, ssl.*; secrets are never written anywhere" };
        var brokers = new Option<int>("--brokers") { Description = "brokers in the cluster the run starts", DefaultValueFactory = _ => ExperimentSpec.Default.Brokers };
        var partitions = new Option<int>("--partitions") { Description = "partitions of the run's topic", DefaultValueFactory = _ => ExperimentSpec.Default.Partitions };
        var replicationFactor = new Option<int?>("--replication-factor") { Description = "replication factor of the run's topic; default: 3, or the brokers if fewer" };
        var minInsync = new Option<int?>("--min-insync-replicas") { Description = "the topic's min.insync.replicas; default: 2, or the replication factor if lower" };
        var brokerConfig = new Option<string[]>("--broker-config")
        {
            Description = "any broker setting, in Kafka's names (server.properties), as key=value (repeatable): unclean.leader.election.enable, replica.lag.time.max.ms, ...",
            AllowMultipleArgumentsPerToken = false,
        };
        var clusterMode = SettingOptions.Create(ClusterSettings.Mode);
        var controllers = SettingOptions.Create(ClusterSettings.Controllers);
        var seed = new Option<int?>("--seed") { Description = "seed for random fault targets (printed by every run)" };
        var keepCluster = new Option<bool>("--keep-cluster")
        {
            Description = "leave the last cell's cluster running, healed, after the run (also after Ctrl-C or a failure) for inspection; 'cluster down <id>' removes it",
        };

        var experiment = new Argument<string?>("experiment")
        {
            Description = "an experiment file (YAML, see experiments/README.md); without one, a single experiment from the flags below",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("run", "Run one experiment (default: 3 brokers, RF 3, min.insync.replicas 2, acks=all, the leader of partition 0 SIGKILLed mid-produce)")
        {
            experiment, image, dist, fallbackDist, pullPolicy, baseImage, runs, messages, rate, producers, acks, producerConfig, keys, commit, batch, processing, dedup, fault, faultAt, faultDuration, broker, partition, delay, loss, crashPoint, seed,
            brokers, partitions, replicationFactor, minInsync, brokerConfig, clusterMode, controllers, keepCluster, attach, bootstrap, kafkaVersion, clientConfig,
        };
        OptionGroups.Add(command, "Workload", messages, rate, producers, keys);
        OptionGroups.Add(command, "Producer", acks, producerConfig);
        OptionGroups.Add(command, "Consumer", commit, batch, processing, dedup);
        OptionGroups.Add(command, "Fault", fault, faultAt, faultDuration, broker, partition, delay, loss, crashPoint, seed);
        OptionGroups.Add(command, "Cluster and topic", brokers, partitions, replicationFactor, minInsync, brokerConfig, clusterMode, controllers, image, dist, fallbackDist, pullPolicy, baseImage, keepCluster, attach, bootstrap, kafkaVersion, clientConfig);
        OptionGroups.Add(command, "Output", runs);
        // What an experiment file decides itself; given beside a file, these would be silently ignored.
        var experimentOptions = new Option[]
        {
            messages, rate, producers, acks, producerConfig, keys, commit, batch, processing, dedup, fault, faultAt, faultDuration, broker, partition, delay, loss, crashPoint, seed,
            brokers, partitions, replicationFactor, minInsync, brokerConfig, clusterMode, controllers,
        };
        command.SetAction(async (parse, _) => await CliErrors.GuardAsync(async () =>
        {
            if (parse.GetValue(experiment) is { } file && experimentOptions.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } given)
            {
                throw new ExperimentConfigException($"{given.Name}: the experiment file {file} sets the cluster, topic, workload, producer, consumer and faults; change the file instead of passing {given.Name}");
            }

            var acksGiven = parse.GetResult(acks) is { Implicit: false };
            var configured = KeyValueArguments.Parse(parse.GetValue(producerConfig) ?? [], "--producer-config").ToList();
            foreach (var (key, value) in configured)
            {
                if (ProducerSettings.Names(key, "acks") && acksGiven && value.Trim() != parse.GetValue(acks))
                {
                    throw new ExperimentConfigException($"--producer-config: {key}={value} contradicts --acks {parse.GetValue(acks)}; give acks once");
                }
            }

            var producer = ProducerSettings.Merge(
                new Dictionary<string, string>(ExperimentSpec.Default.Producer, StringComparer.Ordinal) { ["acks"] = parse.GetValue(acks)! }, configured);

            if (ProducerSettings.Problem(producer) is var (badKey, why))
            {
                throw new ExperimentConfigException($"--producer-config: {badKey}: {why}");
            }

            var commitName = parse.GetValue(commit)!;
            var consumer = new ConsumerSpec
            {
                Commit = CommitStrategyNames.Parse(commitName).Strategy,
                CommitAsync = CommitStrategyNames.Parse(commitName).CommitAsync,
                BatchSize = parse.GetValue(batch),
                ProcessingTime = TimeSpan.FromMilliseconds(parse.GetValue(processing)),
                DedupStore = parse.GetValue(dedup),
            };
            var faultName = parse.GetValue(fault)!;
            var brokerSettings = KeyValueArguments.Parse(parse.GetValue(brokerConfig) ?? [], "--broker-config");
            if (brokerSettings.Keys.FirstOrDefault(k => !SettingCatalog.IsPassThrough(k, brokerSettings[k])) is { } badBrokerKey)
            {
                throw new ExperimentConfigException($"--broker-config: '{badBrokerKey}' is not {SettingCatalog.PassThroughForm}");
            }

            var brokerCount = parse.GetValue(brokers);
            var replication = parse.GetValue(replicationFactor) ?? Math.Min(ExperimentSpec.Default.ReplicationFactor, brokerCount);
            var spec = ExperimentSpec.Default with
            {
                Brokers = brokerCount,
                Mode = ClusterSettings.Mode.ReadFlag(parse.GetValue(clusterMode)),
                Controllers = ClusterSettings.Controllers.ReadFlag(parse.GetValue(controllers)),
                Partitions = parse.GetValue(partitions),
                ReplicationFactor = replication,
                MinInsyncReplicas = parse.GetValue(minInsync) ?? Math.Min(ExperimentSpec.Default.MinInsyncReplicas, replication),
                BrokerConfig = brokerSettings,
                Messages = parse.GetValue(messages),
                RatePerSecond = parse.GetValue(rate),
                Producers = parse.GetValue(producers),
                Producer = producer,
                Keys = Enum.Parse<KeyStrategy>(parse.GetValue(keys)!, ignoreCase: true),
                Consumer = consumer,
                Faults = faultName == "none" ? [] :
                [
                    new FaultSpec
                    {
                        Kind = faultName,
                        Broker = parse.GetValue(broker),
                        Partition = parse.GetValue(partition),
                        DelayMs = parse.GetValue(delay),
                        LossPercent = parse.GetValue(loss),
                        CrashPoint = CrashPointNames.TryParse(parse.GetValue(crashPoint)!, out var point) ? point : CrashPoint.BetweenProcessAndCommit,
                        When = new FaultTrigger(TimeSpan.FromSeconds(parse.GetValue(faultAt))),
                        Duration = TimeSpan.FromSeconds(parse.GetValue(faultDuration)),
                    },
                ],
                Seed = parse.GetValue(seed),
                Name = $"{faultName}-acks-{parse.GetValue(acks)}-{consumer.StrategyName}{(consumer.DedupStore ? "+dedup" : "")}",
            };

            // The whole file is checked before anything starts: a bad cell fails it with exit code 2.
            var plan = parse.GetValue(experiment) is { } path
                ? ExperimentFile.Load(path)
                : new ExperimentPlan(spec.Name, "one experiment from the command line", "(command line)",
                    [new PlannedCell(spec.Name, spec, spec.Describe(), new Dictionary<string, string>(), [], 1)]);

            // An attached cluster has the brokers it has: they are found before the cells are checked against them.
            // --attach wins over the file's cluster.attach, as every run flag that may stand beside a file does.
            var attachTarget = parse.GetValue(attach) ?? plan.Attach;
            if (attachTarget is not null)
            {
                RefuseBesideAttach(parse, [bootstrap, keepCluster, image, dist, brokers, brokerConfig, clusterMode, controllers]);
            }

            KafkaVersion? versionGiven = null;
            if (parse.GetValue(kafkaVersion) is { } versionText && attachTarget is not null)
            {
                versionGiven = KafkaVersion.TryParse(versionText, out var parsed) ? parsed
                    : throw new ExperimentConfigException($"--kafka-version: '{versionText}' is not a Kafka version such as 3.9.0");
            }

            using var attachEngine = attachTarget is not null ? await DockerEngine.ConnectAsync(interrupt) : null;
            await using var attached = attachTarget is not null
                ? await AttachedCluster.AttachAsync(attachEngine!, attachTarget, versionGiven, $"attach-{TimeProvider.System.GetUtcNow():yyyyMMdd-HHmmss}",
                    parse.GetValue(baseImage)!, Log, TimeProvider.System, interrupt)
                : null;
            if (attached is not null)
            {
                plan = plan with { Cells = [.. plan.Cells.Select(c => c with { Spec = c.Spec with { Brokers = attached.Access.Brokers.Brokers.Count } })] };
                if (plan.Cells.SelectMany(c => c.Spec.BrokerConfig.Keys.Select(k => (c.Name, Key: k))).FirstOrDefault(s => !AttachedCluster.TopicLevelSettings.Contains(s.Key)) is { Key: not null } brokerOnly)
                {
                    throw new ExperimentConfigException($"{plan.SourcePath}: cell {brokerOnly.Name}: broker setting {brokerOnly.Key}: an attached cluster keeps its own broker settings, "
                        + $"and only {string.Join(" and ", AttachedCluster.TopicLevelSettings)} can be set on the run's topic instead; drop it, or run on a cluster the tool starts");
                }
            }
            foreach (var cell in plan.Cells)
            {
                if (ExperimentSpecValidator.Problem(cell.Spec) is { } problem)
                {
                    // From the flags, say which flag; from a file, the key (the loader already named the line).
                    throw new ExperimentConfigException(parse.GetValue(experiment) is null && FlagOf.TryGetValue(problem.Setting, out var flag)
                        ? $"{flag}: {problem.Message}" : problem.ToString());
                }
            }

            Log($"{plan.Name}: {plan.Cells.Count} cell(s)");
            var runsDirectory = Path.GetFullPath(parse.GetValue(runs)!);
            ExternalCluster? external = null;
            if (parse.GetValue(bootstrap) is { } servers)
            {
                KafkaVersion assumed;
                if (parse.GetValue(kafkaVersion) is { } givenVersion)
                {
                    assumed = KafkaVersion.TryParse(givenVersion, out var parsedVersion) ? parsedVersion
                        : throw new ExperimentConfigException($"--kafka-version: '{givenVersion}' is not a Kafka version such as 3.9.0");
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

                if (parse.GetValue(keepCluster))
                {
                    throw new ExperimentConfigException("--keep-cluster: --bootstrap runs against a cluster this tool did not start, so there is none to keep");
                }

                external = new ExternalCluster(servers, assumed, KeyValueArguments.Parse(parse.GetValue(clientConfig) ?? [], "--client-config"), TimeProvider.System);
                if (plan.Cells.SelectMany(c => c.Spec.Faults).FirstOrDefault(f => !FaultKinds.IsClientSide(f.Kind)) is { } brokerFault)
                {
                    throw new ExperimentConfigException($"faults: {brokerFault.Kind} acts on brokers, which --bootstrap cannot reach (only restart-consumer and restart-producer apply); "
                        + "for a containerised cluster, --attach <compose project> applies every fault");
                }
            }

            using var ownEngine = external is null && attachEngine is null ? await DockerEngine.ConnectAsync(interrupt) : null;
            var engine = attachEngine ?? ownEngine;
            var (imageName, version) = external is not null ? ("(external)", external.Version)
                : attached is not null ? ("(attached)", attached.Version)
                : await new BrokerImageBuilder(engine!).ResolveAsync(
                    parse.GetValue(image) ?? plan.Image ?? KafkaImages.FromEnvironment(),
                    DistributionPath.FromFlagOrEnvironment(parse.GetValue(dist)),
                    parse.GetValue(baseImage)!, Path.Combine(runsDirectory, ".dist"), Log, interrupt,
                    pull: parse.GetValue(pullPolicy) != "never",
                    fallback: parse.GetValue(fallbackDist) is { Length: > 0 } fallbackPath ? new DistributionPath(fallbackPath, "--fallback-dist") : null);

            plan.CheckVersion(version);
            RunOutcome outcome;
            await using (var live = LiveProgress.Start())
            {
                outcome = await new MatrixRunner(engine, TimeProvider.System, live.Log) { Progress = live.Update, KeepCluster = parse.GetValue(keepCluster) }.RunAsync(plan, imageName, version, runsDirectory,
                    (done, total, cell) => live.Log(cell.Status is RunStatus.Completed
                        ? $"cell {done}/{total} {Reports.VerdictName(cell)}: {cell.Name}: lost={cell.Counts.Lost} duplicate_writes={cell.Counts.DuplicateWrites} never_processed={LedgerCountCatalog.Format(cell.Counts.NeverProcessed)} redeliveries={cell.Counts.Redeliveries}"
                        : $"cell {done}/{total} {Reports.VerdictName(cell)}: {cell.Name}: {cell.Reason ?? RunStatusNames.ToName(cell.Status)} (the counts cover only what was journalled before that)"),
                    interrupt, external, attached);
            }
            if (outcome.Results.Cells.Count == 1 && outcome.Results.Cells[0].Status != RunStatus.Unsupported)
            {
                var cell = outcome.Results.Cells[0];
                VerdictTable.Print($"{cell.Name} (Kafka {version})", cell.Counts, cell.HistoryTruncated, cell.JudgedOnFinalLog, cell.InvalidReasons ?? []);
            }

            MatrixTable.Print(outcome.Results); // the verdict table, one cell or many

            foreach (var cut in outcome.Results.Cells.Where(c => c.Status is RunStatus.Interrupted or RunStatus.Failed))
            {
                AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(cut.Name)}: {RunStatusNames.ToName(cut.Status)}, so these counts are not a verdict: they cover what was journalled before it stopped, with no final read, and every send still in flight is counted unknown[/]");
            }
            AnsiConsole.MarkupLine($"results, summary.md, junit.xml, report.html: [bold]{Markup.Escape(outcome.RunDirectory)}[/]");
            if (outcome.Results.Status == RunStatus.Interrupted)
            {
                return ExitCodes.Interrupted;
            }

            var notPassed = outcome.Results.Cells.Where(c => c.Status != RunStatus.Unsupported && !c.Passed).ToList();
            foreach (var cell in notPassed.Where(c => !c.Valid))
            {
                AnsiConsole.MarkupLine($"[red]INVALID[/] {Markup.Escape(cell.Name)}: {Markup.Escape(string.Join("; ", Reports.InvalidReasons(cell)))}");
            }

            foreach (var group in (outcome.Results.Repetitions ?? []).Where(g => !g.Passed))
            {
                AnsiConsole.MarkupLine($"[red]RATE NOT MET[/] {Markup.Escape(group.Cell)}: {Markup.Escape(string.Join("; ", group.Expectations.Where(e => !e.Met).Select(e => $"{e.Expectation}: held in {e.Held} of {e.Runs}")))}");
            }

            var tally = string.Join(", ", outcome.Results.Cells.GroupBy(Reports.VerdictName).Select(g => $"{g.Count()} {g.Key}"));
            var rates = outcome.Results.Repetitions is { Count: > 0 } groups ? $"; rates over repetitions: {groups.Count(g => g.Passed)} of {groups.Count} met" : "";
            // A run that asserted nothing did not pass anything: the counts above are its result.
            var asserted = outcome.Results.Cells.Any(c => c.Expectations is { Count: > 0 })
                || (outcome.Results.Repetitions ?? []).Any(g => g.Expectations.Count > 0);
            var summary = $"({outcome.Results.Cells.Count} cell(s): {Markup.Escape(tally)}{Markup.Escape(rates)})";
            AnsiConsole.MarkupLine(!outcome.Results.Passed ? $"[red]verdict: FAIL[/] {summary}"
                : asserted ? $"[green]verdict: PASS[/] {summary}"
                : $"verdict: NO EXPECTATIONS {summary}: nothing was asserted; the counts above are the result");
            return outcome.Results.Passed ? ExitCodes.Ok : ExitCodes.ExpectationViolated;
        }));
        return command;
    }

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
