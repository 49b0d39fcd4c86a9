using System.Globalization;
using System.Security.Cryptography;
using KafkaChaos.Cluster;
using KafkaChaos.Experiments.Targets;
using KafkaChaos.Faults;
using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using KafkaChaos.Reporting;
using KafkaChaos.Workload;

namespace KafkaChaos.Experiments;

/// <summary>
/// Runs one experiment end to end: cluster up, topic, producer and consumer, the fault, heal, final
/// read, then the verdict computed from the journal on disk (exactly what <c>verify</c> recomputes).
/// </summary>
/// <remarks>
/// Whatever happens — success, Ctrl-C, an infrastructure failure — the cluster is removed, the journal
/// is closed with its end status, and results.json is written for what was recorded. Broker logs are
/// copied into the run directory when the run did not complete.
/// </remarks>
public sealed class ExperimentRunner(DockerEngine? engine, TimeProvider time, Action<string> log)
{
    /// <summary>Receives a snapshot every two seconds of a cell's workload, for live displays.</summary>
    public Action<RunProgress>? Progress { get; init; }

    /// <summary>
    /// Leave the cluster of the last cell running after the run, healed, for a user to inspect
    /// (<c>run --keep-cluster</c>). A matrix keeps one cluster at a time: a cell's kept cluster is
    /// removed when the next cell starts.
    /// </summary>
    public bool KeepCluster { get; init; }

    /// <summary>The cluster kept by the last cell, when <see cref="KeepCluster"/> is set.</summary>
    public KafkaCluster? KeptCluster { get; private set; }

    /// <summary>Which cell of how many this runner is on, for <see cref="Progress"/>.</summary>
    public (int Cell, int Cells) Position { get; set; } = (1, 1);

    /// <summary>Runs one experiment in a run directory of its own and writes its results.json.</summary>
    public async Task<RunOutcome> RunAsync(ExperimentSpec spec, string image, KafkaVersion version, string runsDirectory, CancellationToken cancellationToken)
    {
        Validate(spec, version);
        var runId = NewRunId();
        var runDirectory = Path.Combine(runsDirectory, runId);
        Directory.CreateDirectory(runDirectory);
        var startedMs = time.Millis();
        var run = await RunCellAsync(spec, image, version, runId, runDirectory, cancellationToken);
        var results = new ResultsDocument(ResultsDocument.CurrentSchemaVersion, runId, run.Cell.Status, run.Cell.Reason, startedMs, time.Millis(), [run.Cell]);
        ResultsJson.Write(runDirectory, results);
        if (run.Failure is not null)
        {
            throw new InfrastructureException($"{run.Cell.Reason} (run directory: {runDirectory})", run.Failure);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new RunOutcome(runDirectory, results);
    }

    /// <summary>
    /// Runs one cell in <paramref name="cellDirectory"/>: its own cluster, journal and verdict. Never
    /// throws for a failure of the run itself: that is the cell's status, with the exception alongside.
    /// </summary>
    /// <remarks>
    /// With <c>external</c> (<c>--bootstrap</c>) the workload runs against a cluster this tool did not start, and only client faults
    /// apply; with <c>attached</c> (<c>--attach</c>) against one whose containers it found, and every fault applies. The image is
    /// unused in both.
    /// </remarks>
    public async Task<(CellResult Cell, Exception? Failure)> RunCellAsync(ExperimentSpec spec, string image, KafkaVersion version, string runId,
        string cellDirectory, CancellationToken cancellationToken, IExternalTarget? external = null, AttachedCluster? attached = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Validate(spec, version);
        if (external is not null && spec.Faults.FirstOrDefault(f => !FaultKinds.IsClientSide(f.Kind)) is { } brokerFault)
        {
            throw new ExperimentConfigException($"faults: {brokerFault.Kind} acts on brokers, and --bootstrap targets a cluster this tool did not start; only restart-consumer and restart-producer apply");
        }

        Directory.CreateDirectory(cellDirectory);
        var clusterId = $"{runId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";
        var seed = spec.Seed ?? Random.Shared.Next();
        ICellTarget target = external is not null ? new ExternalCellTarget(external)
            : attached is not null ? new AttachedCellTarget(attached, time, log)
            : new OwnCellTarget(engine, OwnClusterSpec(spec, image, version), clusterId, cellDirectory, KeepCluster, time, log);
        var config = new Dictionary<string, string>(spec.Describe(), StringComparer.Ordinal)
        {
            ["cluster.image"] = image,
            ["cluster.kafka.version"] = version.ToString(),
            ["nemesis.seed"] = seed.ToString(CultureInfo.InvariantCulture),
        };
        target.Describe(config);

        var latencies = new Dictionary<string, LatencySummary>(StringComparer.Ordinal);
        var (status, error, failure) = await RecordAsync(spec, target, runId, seed, clusterId, cellDirectory, config, latencies, cancellationToken);
        var recorded = JournalReader.ReadRunDirectory(cellDirectory);
        var verdict = LedgerChecker.Check(recorded.History);
        var cell = new CellResult(spec.Name, config, verdict.Counts, verdict.Examples, verdict.HistoryTruncated, recorded.History.Faults, latencies,
            verdict.Timeline, verdict.Valid, verdict.FaultsNotApplied, status, error)
        {
            InvalidReasons = verdict.InvalidReasons,
            JudgedOnFinalLog = verdict.JudgedOnFinalLog,
            Fates = verdict.Fates,
        };
        return (cell, failure);
    }

    /// <summary>
    /// The recorded part of a cell, its journal open from the run's start to its end: the cluster provisioned,
    /// the workload under its faults, and the cluster left, whatever happened. What went wrong becomes the
    /// status; only a config error found while running is thrown, after the journal is closed.
    /// </summary>
    private async Task<(RunStatus Status, string? Error, Exception? Failure)> RecordAsync(ExperimentSpec spec, ICellTarget target, string runId, int seed, string clusterId,
        string cellDirectory, Dictionary<string, string> config, Dictionary<string, LatencySummary> latencies, CancellationToken cancellationToken)
    {
        using var clientLog = new ClientLogFile(Path.Combine(cellDirectory, "client.log"), time, log);
        using var journal = new JournalWriter(cellDirectory, time);
        clientLog.Failure = journal.Failure;
        journal.WriteRunStarted(runId, time.Millis(), config);
        (RunStatus Status, string? Error, Exception? Failure) outcome = (RunStatus.Completed, null, null);
        // A failed write to the run directory (a full disk) stops the run like Ctrl-C, but as a failure.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, journal.Failure.Tripped);
        try
        {
            if (target is OwnCellTarget && KeptCluster is { } previous)
            {
                KeptCluster = null;
                log($"removing the cluster kept from the previous cell, {previous.RunId}");
                await previous.DisposeAsync();
            }

            log($"{spec.Name}: {target.Description}, nemesis seed {seed}");
            var (kafka, access) = await target.ProvisionAsync(stop.Token);
            await RunWorkloadAsync(spec, seed, kafka, access, clusterId, journal, clientLog.Write, latencies, config, stop.Token);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = (RunStatus.Interrupted, "interrupted before the run completed", null);
        }
        catch (Exception) when (journal.Failure.First is { } writeFailure)
        {
            var failure = RunDirectoryFailure(cellDirectory, writeFailure);
            outcome = (RunStatus.Failed, failure.Message, failure);
        }
        catch (Exception e) when (e is ClusterConfigException or ExperimentConfigException)
        {
            // Found only once running (an external cluster's own settings): a config error, exit 2,
            // after the journal is closed and anything started is removed.
            outcome = (RunStatus.Failed, e.Message, null);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever broke (the engine, a client, the tool itself), the run is recorded as failed,
            // never as completed, and what was journalled so far still gets its verdict.
            var failure = engine is not null && target is not ExternalCellTarget && DockerEngine.IsUnreachable(e) ? engine.Unreachable(e) : e;
            outcome = (RunStatus.Failed, failure is InfrastructureException ? failure.Message : $"{e.GetType().Name}: {e.Message}", failure);
        }
        finally
        {
            await target.LeaveAsync(outcome.Status, cellDirectory);
            if (target is OwnCellTarget { Kept: { } kept })
            {
                KeptCluster = kept;
            }

            journal.WriteRunEnded(time.Millis(), outcome.Status, outcome.Error);
        }

        journal.Dispose(); // its last flush can fail too
        if (journal.Failure.First is { } lateFailure && outcome is { Failure: null, Status: RunStatus.Completed })
        {
            var failure = RunDirectoryFailure(cellDirectory, lateFailure);
            outcome = (RunStatus.Failed, failure.Message, failure);
        }

        return outcome;
    }

    /// <summary>
    /// The workload in its phases: the topic, the clients, the produce under the nemesis, the acknowledgements,
    /// the heal and the quiet period, the drain of the group, and the final read of the whole log.
    /// </summary>
    private async Task RunWorkloadAsync(ExperimentSpec spec, int seed, IKafkaTarget target, ClusterAccess? access, string runId, JournalWriter journal,
        Action<string> clientLog, Dictionary<string, LatencySummary> latencies, IReadOnlyDictionary<string, string> config, CancellationToken cancellationToken)
    {
        var topic = $"chaos-{runId}";
        var runGuid = Guid.NewGuid();
        await CreateTopicAsync(spec, target, topic, cancellationToken);
        var (consumerConfig, producerConfig) = ClientConfigs(spec, target, runId);
        var runDirectory = Path.GetDirectoryName(journal.Path)!;
        using var group = new ConsumerGroup(runGuid, topic, spec.Consumer, consumerConfig, runDirectory, journal, time, clientLog);
        using var producer = new ProducerGroup(spec.Producers, runGuid, topic, spec.Messages, spec.MessageSize, new MessageKeys(spec.Keys, seed), spec.RatePerSecond, producerConfig, journal, time, clientLog)
        {
            ResendUnknownOnRestart = spec.ResendUnknownOnRestart,
        };
        group.Start();
        if (spec.Consumer.AutoOffsetReset == "latest")
        {
            await WaitForAssignmentAsync(group, spec.Partitions, cancellationToken);
        }

        var nemesis = new Nemesis(spec.Faults, seed,
            (fault, random) => FaultKinds.Create(fault, new FaultContext(access, topic, spec.Partitions, group, producer.Lanes, random, journal, time, log)
            {
                ConsumerGroupId = consumerConfig["group.id"],
                Version = target.Version,
            }),
            access, topic, journal, time, log);
        foreach (var (at, fault) in nemesis.Plan)
        {
            log($"scheduled at {at.TotalSeconds:0.###} s: {fault.Describe()}");
        }

        var partitionsAtEnd = FaultKinds.PartitionsAtEnd(spec.Partitions, spec.Faults); // what the drain and the final read cover
        var (caughtUp, ends) = await ProduceHealAndDrainAsync(spec, producer, group, nemesis, partitionsAtEnd, cancellationToken);
        Replay.ReplaySchedule.Of(spec, config, nemesis).Write(Path.GetDirectoryName(journal.Path)!);
        log(caughtUp ? $"consumers caught up: {group.Progress.Records} records read" : $"consumers went idle for {spec.DrainIdleTimeout.TotalSeconds:0} s before reaching the end offsets; {group.Progress.Records} records read");
        journal.WriteDrainEnded(time.Millis(), new GroupDrainSummary(caughtUp, caughtUp
            ? $"every partition read or committed to its end offset; {group.Progress.Records} records read"
            : $"{string.Join(", ", group.Progress.Behind(ends).Select(p => $"partition {p} read to offset {group.Progress.Next(p)} of {ends[p]}"))}; nothing arrived for {spec.DrainIdleTimeout.TotalSeconds:0} s"));
        group.Dispose();

        // Durability is judged on the log as it is now, read whole by a reader outside the group.
        var finalRead = await Task.Run(() => new FinalLogReader(topic, partitionsAtEnd, runGuid, target.ClientSettings, journal, time, clientLog)
            .Read(spec.DrainIdleTimeout, cancellationToken), cancellationToken);
        journal.WriteFinalReadEnded(time.Millis(), finalRead);
        log(finalRead.Complete ? $"final read: {finalRead.Detail}" : $"final read incomplete, the cell is invalid: {finalRead.Detail}");
        latencies["produce_to_ack"] = producer.ProduceToAck().Summarize();
        latencies["end_to_end"] = group.EndToEnd().Summarize();
    }

    private async Task CreateTopicAsync(ExperimentSpec spec, IKafkaTarget target, string topic, CancellationToken cancellationToken)
    {
        var topicConfig = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["min.insync.replicas"] = spec.MinInsyncReplicas.ToString(CultureInfo.InvariantCulture),
        };
        if (target is AttachedCluster)
        {
            // The brokers keep their own settings; what a topic can override is set on the run's topic instead.
            foreach (var (key, value) in spec.BrokerConfig.Where(s => AttachedCluster.TopicLevelSettings.Contains(s.Key)))
            {
                topicConfig[key] = value;
            }
        }

        await target.CreateTopicAsync(topic, spec.Partitions, spec.ReplicationFactor, topicConfig, cancellationToken);
        log($"topic {topic}: {spec.Partitions} partitions, RF {spec.ReplicationFactor}, min.insync.replicas {spec.MinInsyncReplicas}");
    }

    /// <summary>The group's and the producers' client settings: the cluster's own, the run's group, the spec's producer settings on top.</summary>
    private static (Dictionary<string, string> Consumer, Dictionary<string, string> Producer) ClientConfigs(ExperimentSpec spec, IKafkaTarget target, string runId)
    {
        var sessionTimeout = ClientCompatibility.SessionTimeoutMs(target.Version);
        var consumerConfig = new Dictionary<string, string>(target.ClientSettings, StringComparer.Ordinal)
        {
            ["group.id"] = $"kafka-chaos-{runId}",
            ["auto.offset.reset"] = spec.Consumer.AutoOffsetReset,
            ["session.timeout.ms"] = sessionTimeout.ToString(CultureInfo.InvariantCulture),
            ["heartbeat.interval.ms"] = (sessionTimeout / 3).ToString(CultureInfo.InvariantCulture),
        };
        var producerConfig = new Dictionary<string, string>(target.ClientSettings, StringComparer.Ordinal) { ["client.id"] = "kafka-chaos" };
        if (spec.Faults.Any(f => f.Kind == FaultKinds.AddPartitions))
        {
            // Both clients look for new partitions every 5 minutes by default: longer than any run. The
            // producer looks every second and the group every 10 s, so the producer writes to a new partition
            // before the group is assigned it, as when a producer restarts or refreshes first (article 003).
            consumerConfig["topic.metadata.refresh.interval.ms"] = "10000";
            producerConfig["topic.metadata.refresh.interval.ms"] = "1000";
        }

        foreach (var (key, value) in spec.Producer)
        {
            producerConfig[key] = value;
        }

        return (consumerConfig, producerConfig);
    }

    /// <summary>
    /// Sends everything while the nemesis runs, waits for the acknowledgements, heals, holds the quiet period,
    /// then drains the group to the end offsets; whether it caught up, and those offsets.
    /// </summary>
    private async Task<(bool CaughtUp, IReadOnlyDictionary<int, long> Ends)> ProduceHealAndDrainAsync(ExperimentSpec spec, ProducerGroup producer, ConsumerGroup group, Nemesis nemesis,
        int partitionsAtEnd, CancellationToken cancellationToken)
    {
        using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progress = ReportProgressAsync(spec.Name, producer, group, nemesis, stopProgress.Token);
        try
        {
            var produce = Task.Factory.StartNew(() => producer.Run(stopSending.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            try
            {
                await nemesis.RunAsync(() => !produce.IsCompleted, cancellationToken);
            }
            catch
            {
                // On any failure the send loop stops at its next message instead of sending the rest;
                // either way the producer must not be disposed under it.
                await stopSending.CancelAsync();
                throw;
            }
            finally
            {
                await produce;
            }

            log($"sent all {producer.Sent}; waiting for outstanding acknowledgements");
            await Task.Run(() => producer.Finish(ProducerSettings.MessageTimeout(spec.Producer) + TimeSpan.FromSeconds(10)), cancellationToken);
            await nemesis.HealAllAsync(cancellationToken);
            log($"quiet period of {spec.QuietPeriod.TotalSeconds:0.###} s before the final read");
            await Task.Delay(spec.QuietPeriod, time, cancellationToken);

            var ends = await Task.Run(() => group.EndOffsets(partitionsAtEnd, cancellationToken), cancellationToken);
            log($"draining consumers to end offsets {string.Join(", ", ends.OrderBy(e => e.Key).Select(e => $"p{e.Key}:{e.Value}"))}");
            return (await group.DrainAsync(ends, spec.DrainIdleTimeout, cancellationToken), ends);
        }
        finally
        {
            await stopProgress.CancelAsync();
            await progress;
        }
    }

    /// <summary>
    /// A group that starts at the latest offset must hold the topic's partitions before anything is sent,
    /// or it skips the first messages and the cell measures its own start instead of the fault.
    /// </summary>
    private async Task WaitForAssignmentAsync(ConsumerGroup group, int partitions, CancellationToken cancellationToken)
    {
        var deadline = time.Deadline(TimeSpan.FromSeconds(60));
        while (group.AssignedPartitions < partitions)
        {
            if (!time.Before(deadline))
            {
                throw new InfrastructureException($"the consumer group held {group.AssignedPartitions} of {partitions} partitions 60 s after it started");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }

        // The assignment callback comes before the client has looked up where "latest" is.
        await Task.Delay(TimeSpan.FromSeconds(2), time, cancellationToken);
        log($"consumer group holds all {partitions} partitions; sending");
    }

    /// <summary>A progress line every two seconds: plain text, so it reads the same in a terminal and in CI logs.</summary>
    private async Task ReportProgressAsync(string cellName, ProducerGroup producer, ConsumerGroup group, Nemesis nemesis, CancellationToken stop)
    {
        var start = time.GetUtcNow();
        long lastSent = 0, lastRead = 0;
        try
        {
            for (var tick = 1; ; tick++)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), time, stop);
                if (tick % 15 == 0)
                {
                    NativeHeap.Trim(); // every 30 s: what the clients' native threads freed goes back to the system

                    // The managed heap's own size, which resident memory seen from outside cannot tell from the C heap's (docs/soak.md).
                    var gc = GC.GetGCMemoryInfo();
                    log($"memory: managed heap {gc.HeapSizeBytes >> 20} MiB after the last collection, {GC.CollectionCount(2)} full collections");
                }

                var (sent, read) = (producer.Sent, group.Progress.Records);
                var (acknowledged, notAcknowledged) = producer.Outcomes;
                var progress = new RunProgress(Position.Cell, Position.Cells, cellName, (time.GetUtcNow() - start).TotalSeconds,
                    sent, producer.Total, read, (sent - lastSent) / 2, (read - lastRead) / 2, nemesis.Active) { Acknowledged = acknowledged, NotAcknowledged = notAcknowledged };
                log($"progress {progress.Seconds:0} s: {progress.Describe()}");
                Progress?.Invoke(progress);
                (lastSent, lastRead) = (sent, read);
            }
        }
        catch (OperationCanceledException)
        {
            // The workload is over (or the run was interrupted); the caller decides which.
        }
    }

    /// <summary>
    /// The cluster a cell of <paramref name="spec"/> starts on <paramref name="version"/>: its brokers, their
    /// settings (the topic's min.insync.replicas and unclean election as broker defaults too), and its mode
    /// and controllers resolved for the version.
    /// </summary>
    /// <exception cref="ClusterConfigException">The version cannot run the mode or controllers asked for.</exception>
    public static ClusterSpec OwnClusterSpec(ExperimentSpec spec, string image, KafkaVersion version)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var brokerConfig = new Dictionary<string, string>(spec.BrokerConfig, StringComparer.Ordinal)
        {
            ["min.insync.replicas"] = spec.MinInsyncReplicas.ToString(CultureInfo.InvariantCulture),
            ["unclean.leader.election.enable"] = spec.UncleanLeaderElection ? "true" : "false",
        };
        var (mode, controllers) = ClusterSpec.ResolveMode(version, spec.Mode, spec.Controllers, spec.Brokers);
        return new ClusterSpec(image, version, spec.Brokers, brokerConfig, Mode: mode, Controllers: controllers);
    }

    /// <summary>The runner's check of a spec, whichever way it was given; a run that fails it starts nothing and creates no directory.</summary>
    /// <exception cref="ExperimentConfigException">Naming the setting and its value.</exception>
    public static void Validate(ExperimentSpec spec, KafkaVersion version)
    {
        ExperimentSpecValidator.Validate(spec);
        if (MatrixRunner.UnsupportedReason(spec, version) is { } unsupported)
        {
            throw new ExperimentConfigException($"producer: unsupported: {unsupported}");
        }
    }

    private static InfrastructureException RunDirectoryFailure(string directory, IOException e) =>
        new($"writing to the run directory failed ({e.Message}); free space under {directory}, or choose another --runs-dir, and run again. "
            + "What was written before the failure is kept, and 'kafka-chaos verify' checks it", e);

    private string NewRunId() =>
        $"{time.GetUtcNow():yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";
}
