using System.Globalization;
using System.Security.Cryptography;
using KafkaChaos.Cluster;
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
        var runGuid = Guid.NewGuid();
        var config = new Dictionary<string, string>(spec.Describe(), StringComparer.Ordinal)
        {
            ["cluster.image"] = image,
            ["cluster.kafka.version"] = version.ToString(),
            ["nemesis.seed"] = seed.ToString(CultureInfo.InvariantCulture),
        };
        // The cluster this cell starts, its mode resolved for the version: what config records is what starts.
        var own = external is null && attached is null ? OwnClusterSpec(spec, image, version) : null;
        if (own is not null)
        {
            config[Settings.ClusterSettings.Mode.Key] = Settings.ClusterSettings.Mode.Format(own.Mode);
            config[Settings.ClusterSettings.Controllers.Key] = own.Mode == ClusterMode.KRaft ? Settings.ClusterSettings.Controllers.Format(own.Controllers) : "none";
        }

        if ((external?.Describe() ?? attached?.Describe()) is { } described)
        {
            config.Remove("cluster.image");
            foreach (var (key, value) in described)
            {
                config[key] = value;
            }
        }

        if (attached is not null)
        {
            config["cluster.brokers"] = attached.Access.Brokers.Brokers.Count.ToString(CultureInfo.InvariantCulture);
        }

        var status = RunStatus.Completed;
        string? error = null;
        Exception? failure = null;
        var latencies = new Dictionary<string, LatencySummary>(StringComparer.Ordinal);
        var clientLog = new StreamWriter(Path.Combine(cellDirectory, "client.log")) { AutoFlush = false };
        try
        {
            using var journal = new JournalWriter(cellDirectory, time);
            var clientLogGate = new Lock();
            void ClientLog(string line)
            {
                lock (clientLogGate)
                {
                    try
                    {
                        clientLog.WriteLine($"{time.GetUtcNow():O} {line}");
                    }
                    catch (IOException e)
                    {
                        journal.Failure.Report(e);
                    }
                }
            }

            journal.WriteRunStarted(runId, time.Millis(), config);
            KafkaCluster? cluster = null;
            // A failed write to the run directory (a full disk) stops the run like Ctrl-C, but as a failure.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, journal.Failure.Tripped);
            var runToken = stop.Token;
            try
            {
                if (external is not null)
                {
                    log($"{spec.Name}: the cluster at {external.BootstrapServers} (Kafka {version} assumed), nemesis seed {seed}");
                    await RunWorkloadAsync(spec, seed, external, null, clusterId, runGuid, journal, ClientLog, latencies, runToken);
                }
                else if (attached is not null)
                {
                    log($"{spec.Name}: the attached cluster {attached.Target} (Kafka {attached.Version}), nemesis seed {seed}");
                    await RunWorkloadAsync(spec, seed, attached, attached.Access, clusterId, runGuid, journal, ClientLog, latencies, runToken);
                }
                else
                {
                    if (KeptCluster is { } previous)
                    {
                        KeptCluster = null;
                        log($"removing the cluster kept from the previous cell, {previous.RunId}");
                        await previous.DisposeAsync();
                    }

                    log($"{spec.Name}: Kafka {version} from {image}, {spec.Brokers} brokers, nemesis seed {seed}");
                    cluster = await KafkaCluster.StartAsync(engine ?? throw new InvalidOperationException("a Docker engine is needed to start a cluster"),
                        own!, clusterId, log, runToken, cellDirectory, KeepCluster, time);
                    await RunWorkloadAsync(spec, seed, cluster, cluster.Access, clusterId, runGuid, journal, ClientLog, latencies, runToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                status = RunStatus.Interrupted;
                error = "interrupted before the run completed";
            }
            catch (Exception) when (journal.Failure.First is { } writeFailure)
            {
                status = RunStatus.Failed;
                failure = RunDirectoryFailure(cellDirectory, writeFailure);
                error = failure.Message;
            }
            catch (Exception e) when (e is ClusterConfigException or ExperimentConfigException)
            {
                // Found only once running (an external cluster's own settings): a config error, exit 2,
                // after the journal is closed and anything started is removed.
                status = RunStatus.Failed;
                error = e.Message;
                throw;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Whatever broke (the engine, a client, the tool itself), the run is recorded as failed,
                // never as completed, and what was journalled so far still gets its verdict.
                status = RunStatus.Failed;
                failure = engine is not null && external is null && DockerEngine.IsUnreachable(e) ? engine.Unreachable(e) : e;
                error = failure is InfrastructureException ? failure.Message : $"{e.GetType().Name}: {e.Message}";
            }
            finally
            {
                if (attached is not null && status != RunStatus.Completed)
                {
                    // The user's cluster is left as it was found: every fault undone, its logs copied for the failed run.
                    await CopyLogsQuietlyAsync(attached.CopyLogsAsync, cellDirectory);
                    await UndoFaultsQuietlyAsync(attached.Access, attached.Target);
                }

                if (cluster is not null)
                {
                    if (status != RunStatus.Completed)
                    {
                        await CopyLogsQuietlyAsync(cluster.CopyLogsAsync, cellDirectory);
                    }

                    if (KeepCluster)
                    {
                        if (status != RunStatus.Completed)
                        {
                            await UndoFaultsQuietlyAsync(cluster.Access, $"the kept cluster {cluster.RunId}");
                        }

                        cluster.Release();
                        KeptCluster = cluster;
                        log($"kept cluster {cluster.RunId}: bootstrap servers {cluster.BootstrapServers}; remove it with 'kafka-chaos cluster down {cluster.RunId}'");
                    }
                    else
                    {
                        await RemoveQuietlyAsync(cluster);
                    }
                }

                journal.WriteRunEnded(time.Millis(), status, error);
            }

            journal.Dispose(); // its last flush can fail too
            if (journal.Failure.First is { } lateFailure && failure is null && status == RunStatus.Completed)
            {
                status = RunStatus.Failed;
                failure = RunDirectoryFailure(cellDirectory, lateFailure);
                error = failure.Message;
            }
        }
        finally
        {
            try
            {
                clientLog.Dispose();
            }
            catch (IOException e)
            {
                log($"client.log is incomplete: {e.Message}");
            }
        }

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

    private async Task RunWorkloadAsync(ExperimentSpec spec, int seed, IKafkaTarget target, ClusterAccess? access, string runId, Guid runGuid, JournalWriter journal,
        Action<string> clientLog, Dictionary<string, LatencySummary> latencies, CancellationToken cancellationToken)
    {
        var topic = $"chaos-{runId}";
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

        // The shortest session the broker allows, so that a killed consumer's partitions move on quickly.
        var sessionTimeout = (int)Math.Min(6_000, ClientCompatibility.MaxSessionTimeout(target.Version).TotalMilliseconds);
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

        var runDirectory = Path.GetDirectoryName(journal.Path)!;
        using var group = new ConsumerGroup(runGuid, topic, spec.Consumer, consumerConfig, runDirectory, journal, time, clientLog);
        using var producer = new ProducerGroup(spec.Producers, runGuid, topic, spec.Messages, spec.MessageSize, spec.Keys, spec.RatePerSecond, producerConfig, journal, time, clientLog)
        {
            ResendUnknownOnRestart = spec.ResendUnknownOnRestart,
        };
        group.Start();
        if (spec.Consumer.AutoOffsetReset == "latest")
        {
            await WaitForAssignmentAsync(group, spec.Partitions, cancellationToken);
        }

        var nemesis = new Nemesis(spec.Faults, seed,
            (fault, random) => FaultKinds.Create(fault, new FaultContext(access, topic, spec.Partitions, group, producer, random, journal, time, log)
            {
                ConsumerGroupId = consumerConfig["group.id"],
                Version = target.Version,
            }),
            access, topic, journal, time, log);
        foreach (var (at, fault) in nemesis.Plan)
        {
            log($"scheduled at {at.TotalSeconds:0.###} s: {fault.Describe()}");
        }

        using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopProgress = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var progress = ReportProgressAsync(spec.Name, producer, group, nemesis, stopProgress.Token);
        bool caughtUp;
        IReadOnlyDictionary<int, long> ends;
        var partitionsAtEnd = FaultKinds.PartitionsAtEnd(spec.Partitions, spec.Faults); // what the drain and the final read cover
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

            ends = await Task.Run(() => group.EndOffsets(partitionsAtEnd, cancellationToken), cancellationToken);
            log($"draining consumers to end offsets {string.Join(", ", ends.OrderBy(e => e.Key).Select(e => $"p{e.Key}:{e.Value}"))}");
            caughtUp = await group.DrainAsync(ends, spec.DrainIdleTimeout, cancellationToken);
        }
        finally
        {
            await stopProgress.CancelAsync();
            await progress;
        }

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

    /// <summary>
    /// A kept cluster is promised healed, and an attached cluster is the user's: a run cut short (Ctrl-C, a
    /// failure) skipped the final heal, so its faults are undone here, within a minute, and a failure to is
    /// said rather than thrown.
    /// </summary>
    private async Task UndoFaultsQuietlyAsync(ClusterAccess cluster, string name)
    {
        using var limit = time.Limit(TimeSpan.FromMinutes(1));
        try
        {
            await FaultUndo.EverythingAsync(cluster, limit.Token);
            log($"undid every fault on {name}");
        }
        catch (Exception e) when (e is Docker.DotNet.DockerApiException or InfrastructureException or IOException or OperationCanceledException or HttpRequestException)
        {
            log($"could not undo every fault on {name} ({e.Message}); brokers may still be paused, stopped or cut off");
        }
    }

    /// <summary>Removes the cluster; when the engine is gone, says so and leaves it to the next start's sweep.</summary>
    private async Task RemoveQuietlyAsync(KafkaCluster cluster)
    {
        try
        {
            await cluster.DisposeAsync();
        }
        catch (Exception e) when (DockerEngine.IsUnreachable(e))
        {
            log($"could not remove cluster {cluster.RunId}: the Docker engine does not answer ({e.GetBaseException().Message}); the next start, or 'kafka-chaos cluster down', removes it");
        }
    }

    private async Task CopyLogsQuietlyAsync(Func<string, CancellationToken, Task> copyLogs, string runDirectory)
    {
        try
        {
            using var timeout = time.Limit(TimeSpan.FromSeconds(30));
            await copyLogs(runDirectory, timeout.Token);
        }
        catch (Exception e) when (e is Docker.DotNet.DockerApiException or IOException or OperationCanceledException or HttpRequestException)
        {
            // The logs are a courtesy; a failure to copy them must not hide the run's own failure.
        }
    }

    private string NewRunId() =>
        $"{time.GetUtcNow():yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";
}
