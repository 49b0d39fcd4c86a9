using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using KafkaChaos.Cluster;
using KafkaChaos.Faults;
using KafkaChaos.Journal;
using KafkaChaos.Workload;

namespace KafkaChaos.Bench;

/// <summary>
/// Measures what the harness costs against a raw Confluent.Kafka client doing the same work, on the
/// same cluster, with identical client settings and payload sizes: producer throughput (alternating
/// raw and harness, raw first and harness first in turn), produce-to-ack and end-to-end latency at
/// shares of the raw client's maximum sustained rate (10, 50 and 80% unless told otherwise; alternating the same
/// way, each with its own client's consumer reading alongside), and consumer throughput over what one
/// harness run wrote. A cell with a fault injects it into every timed run of both clients at the same
/// offset, and heals it in between.
/// </summary>
/// <remarks>
/// The raw producer is <c>Produce</c> with one delivery handler that reads the intended send time from
/// the value and records latency; the raw consumer is a plain <c>Consume</c> loop that does the same.
/// The harness is the real one: envelope, outcome claiming, journal on disk, verifying consumer with its
/// journal, all under one run id so that the consumer checks every envelope as it would in an experiment.
/// Three things keep one-off costs out of the comparison, which short runs on a small machine otherwise
/// drown in: a warm-up round per cell (JIT, the broker's log segments; also the raw rate that sizes the
/// timed runs), timed runs long enough that connection setup and the final flush are a small share, and
/// a warm-up of every producer (metadata and a connection to each partition's leader) before its clock
/// starts.
/// </remarks>
public sealed class BenchRunner(KafkaCluster cluster, string directory, TimeProvider time, Action<string> log)
{
    private const string Raw = "raw";
    private const string Harness = "harness";
    private static readonly TimeSpan WarmUpTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StatisticsCallbackWait = TimeSpan.FromMilliseconds(600);
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromMinutes(2);

    /// <summary>How long each client's untimed first paced run lasts.</summary>
    private static readonly TimeSpan PacedWarmUp = TimeSpan.FromSeconds(2);

    /// <summary>How long a consumer may take to join its group and read the producer's warm-up records.</summary>
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long a consumer may read nothing before a drain gives up, on top of the cell's fault duration.</summary>
    private static readonly TimeSpan DrainIdleTimeout = TimeSpan.FromSeconds(30);
    private readonly Guid _harnessRunId = Guid.NewGuid();
    private readonly string _scratch = Path.Combine(directory, "scratch");
    private readonly string _faults = Path.Combine(directory, "faults");

    public int Alternations { get; init; } = 3;

    /// <summary>How long an unthrottled run lasts: its message count is the warm-up round's raw rate times this.</summary>
    public TimeSpan RunDuration { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Fixes the messages per unthrottled run instead of deriving them from <see cref="RunDuration"/>.</summary>
    public long? ThroughputMessages { get; init; }

    public TimeSpan PacedDuration { get; init; } = TimeSpan.FromSeconds(3);

    public IReadOnlyList<double> PacedShares { get; init; } = BenchPlan.DefaultPacedShares;

    /// <summary>Messages in each client's warm-up run.</summary>
    public long WarmUpMessages { get; init; } = 100_000;

    public int Seed { get; init; } = 1;

    /// <summary>
    /// Where the distribution's own clients run beside the harness and the raw client, in the rounds of
    /// every cell without a fault (docs/bench.md, "Peers"); null: they do not.
    /// </summary>
    public ToolContainer? Peers { get; init; }

    /// <summary>How many one-record runs of each consumer peer measure its fixed cost (JVM start, group join), which its timed runs have subtracted.</summary>
    private const int PeerBaselineRuns = 3;

    /// <summary>The p99 ratio above which a point is a miss, when the whole interval of its rounds lies above it, twice.</summary>
    public const double P99Limit = 1.05;

    public async Task<BenchCellResult> RunAsync(BenchCell cell, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var topic = $"bench-{Guid.NewGuid():N}"[..20];
        await cluster.CreateTopicAsync(topic, cell.Partitions, cell.ReplicationFactor, new Dictionary<string, string>(), cancellationToken);
        // The peers' producers write a topic of their own: the verifiable producer's values are a few bytes, and the
        // consumers, peers included, read the bench topic at the cell's size.
        var peerTopic = Peers is not null && cell.Fault is null ? topic + "-peers" : null;
        if (peerTopic is not null)
        {
            await cluster.CreateTopicAsync(peerTopic, cell.Partitions, cell.ReplicationFactor, new Dictionary<string, string>(), cancellationToken);
        }

        var result = await RunAsync(cell, topic, peerTopic, cancellationToken);
        foreach (var created in peerTopic is null ? [topic] : new[] { topic, peerTopic })
        {
            try
            {
                await cluster.Access.Topics.DeleteTopicAsync(created, cancellationToken);
            }
            catch (Exception e) when (e is InfrastructureException or KafkaException)
            {
                log($"{cell.Name}: topic {created} stays on the cluster: {e.Message}");
            }
        }

        return result;
    }

    private async Task<BenchCellResult> RunAsync(BenchCell cell, string topic, string? peerTopic, CancellationToken cancellationToken)
    {
        var peers = peerTopic is null ? null : Peers;
        var producerConfig = new Dictionary<string, string>(cluster.ClientSettings, StringComparer.Ordinal)
        {
            ["acks"] = cell.Acks,
            ["linger.ms"] = cell.LingerMs.ToString(CultureInfo.InvariantCulture),
            ["statistics.interval.ms"] = "500",
            ["queue.buffering.max.messages"] = "1000000",
            // Neither producer's delivery handler reads a report's key, timestamp or headers; the harness's turns
            // them off on its own, and the raw one gets the same settings.
            [ConfigPropertyNames.Producer.DeliveryReportFields] = SequencedProducer.DeliveryReportFields,
        };
        if (cell.BatchSize is { } batchSize)
        {
            producerConfig["batch.size"] = batchSize.ToString(CultureInfo.InvariantCulture);
        }

        var consumerConfig = new Dictionary<string, string>(cluster.ClientSettings, StringComparer.Ordinal)
        {
            // Consumers start at committed offsets; an offset out of range (a truncated log) skips to the end.
            ["auto.offset.reset"] = "latest",
            ["session.timeout.ms"] = ((int)Math.Min(6_000, ClientCompatibility.MaxSessionTimeout(cluster.Version).TotalMilliseconds)).ToString(CultureInfo.InvariantCulture),
            // Once 100,000 records wait in its queue (queued.min.messages), librdkafka postpones the next fetch by
            // this long, 1 s by default, while a client empties that queue in about 0.2 s and then idles. Which
            // client crosses that line depends on a few hundred ns per record, so the default turned a small
            // difference into seconds of idling in some rounds and none in others (docs/bench.md).
            ["fetch.queue.backoff.ms"] = "10",
            // Neither consumer reads a record's topic, timestamp or headers; the verifying consumer turns them
            // off on its own, and the raw one gets the same settings.
            [ConfigPropertyNames.Consumer.ConsumeResultFields] = "none",
        };
        var drainIdle = DrainIdleTimeout + (cell.Fault?.Duration ?? TimeSpan.Zero);

        Directory.CreateDirectory(_scratch);
        using var probe = new ConsumerBuilder<Ignore, Ignore>(new Dictionary<string, string>(consumerConfig) { ["group.id"] = "bench-probe" })
            .SetLogHandler((_, _) => { }).Build();
        IReadOnlyDictionary<int, long> Ends() => PartitionEnds.ReadAll(probe, topic, cell.Partitions, time, _ => { }, cancellationToken);
        using var faults = cell.Fault is { } fault ? new CellFaults(cluster, Path.Combine(_faults, CellFaults.Slug(cell.Name)), time, log, cell, fault, topic, Seed) : null;
        RunMetrics Produce(string mode, long count, double rate, TimeSpan? duration, Action ready, Action started) => mode == Raw
            ? RunRawProducer(producerConfig, topic, cell, count, rate, duration, ready, started, cancellationToken)
            : RunHarnessProducer(producerConfig, topic, cell, count, rate, duration, ready, started, cancellationToken);
        Task<RunMetrics> OnItsThread(Func<RunMetrics> run) => Task.Factory.StartNew(run, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Task<RunMetrics> ProduceOnItsThread(string mode, long count, double rate, TimeSpan? duration, Action ready, Action started) =>
            OnItsThread(() => Produce(mode, count, rate, duration, ready, started));
        BenchConsumer Consumer(string mode, IReadOnlyDictionary<int, long> start, bool timeRecords)
        {
            var config = new Dictionary<string, string>(consumerConfig) { ["group.id"] = $"bench-{mode}-{Guid.NewGuid():N}" };
            BenchConsumer.CommitStart(config, topic, start);
            BenchConsumer consumer = mode == Raw
                ? new RawBenchConsumer(config, topic, cell.Partitions, timeRecords)
                : new HarnessBenchConsumer(config, topic, _harnessRunId, _scratch, time);
            consumer.Start();
            return consumer;
        }

        // Not recorded and never under the fault: JIT, the broker's first segments, and a first rate.
        var warmUp = Math.Max(Produce(Raw, WarmUpMessages, 0, null, () => { }, () => { }).MessagesPerSecond,
            Produce(Harness, WarmUpMessages, 0, null, () => { }, () => { }).MessagesPerSecond);

        // Unthrottled runs send for RunDuration; the count only bounds the harness's outcome bitmap.
        var (count, duration) = ThroughputMessages is { } fixedCount
            ? (fixedCount, (TimeSpan?)null)
            : (Math.Max(100_000, (long)(warmUp * RunDuration.TotalSeconds * 4)), RunDuration);
        log($"{cell.Name}: warm-up at {warmUp:N0}/s; unthrottled runs of {(duration is { } d ? $"{d.TotalSeconds:0.#} s" : $"{count:N0} messages")}");

        // A peer sends what the raw client sends in RunDuration at the warm-up's rate (or the fixed count).
        var peerCount = ThroughputMessages ?? Math.Max(100_000, (long)(warmUp * RunDuration.TotalSeconds));
        async Task<RunMetrics> PeerRun(PeerTool tool, string script, double subtractSeconds)
        {
            var (_, output) = await peers!.RunAsync(script, cancellationToken);
            return PeerMetrics(tool, PeerOutput.Parse(tool, output), subtractSeconds, cell.MessageSize);
        }

        Task<RunMetrics> PeerProduce(string mode, long peerMessages, double rate)
        {
            var tool = PeerTools.Parse(mode);
            return PeerRun(tool, PeerTools.ProducerScript(tool, cluster.Version, cluster.BootstrapServers, peerTopic!, peerMessages, cell, rate), 0);
        }

        string[] producerModes = peers is null ? [Raw, Harness] : [Raw, Harness, .. PeerTools.Producers.Select(PeerTools.Name)];
        var produced = await Alternate(producerModes,
            mode => mode is Raw or Harness
                ? Timed(faults, started => ProduceOnItsThread(mode, count, 0, duration, () => { }, started), cancellationToken)
                : PeerProduce(mode, peerCount, 0),
            runs => log($"{cell.Name}: produce round {runs[Raw].Count}: {string.Join(", ", runs.Select(r => $"{r.Key} {r.Value[^1].MessagesPerSecond:N0}/s"))}"), cancellationToken);
        var (raw, harness) = (produced[Raw], produced[Harness]);

        // What both consumers read in the consumer runs: one more harness run, not timed and never under the
        // fault, written now so that nothing follows it until the consumer runs. (A consumer that reaches
        // the end of one partition first would otherwise go on reading what came next there.)
        var harnessStart = await Task.Run(Ends, cancellationToken);
        await ProduceOnItsThread(Harness, count, 0, duration, () => { }, () => { });
        var harnessEnd = await Task.Run(Ends, cancellationToken);

        RunMetrics ConsumeRange(string mode, Action started)
        {
            var before = ProcessCounters.Read();
            using var consumer = Consumer(mode, harnessStart, timeRecords: false);
            started();
            var drained = consumer.Drain(harnessEnd, drainIdle, cancellationToken);
            return Metrics(mode, drained.Records, cell.MessageSize, drained.Seconds, 0, before, null, 0) with { ReadToEnd = drained.Reached };
        }

        // A consumer peer reads as many records from the start of the topic, in a group of its own; its fixed cost,
        // the JVM's start and the group's join, is what a one-record run takes, and is subtracted.
        var rangeRecords = harnessEnd.Sum(end => end.Value - harnessStart.GetValueOrDefault(end.Key));
        string ConsumerScript(PeerTool tool, long records) =>
            PeerTools.ConsumerScript(tool, cluster.Version, cluster.BootstrapServers, topic, records, $"bench-{PeerTools.Name(tool)}-{Guid.NewGuid():N}");
        var peerBaselines = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var tool in peers is null ? [] : PeerTools.Consumers)
        {
            var once = new List<double>();
            for (var i = 0; i < PeerBaselineRuns; i++)
            {
                var (_, output) = await peers!.RunAsync(ConsumerScript(tool, 1), cancellationToken);
                once.Add(PeerOutput.Parse(tool, output).ElapsedSeconds);
            }

            peerBaselines[PeerTools.Name(tool)] = Statistics.Median(once);
            log($"{cell.Name}: {PeerTools.Name(tool)} reads one record in {peerBaselines[PeerTools.Name(tool)]:0.00} s (JVM start and group join; subtracted from its runs)");
        }

        string[] consumerModes = peers is null ? [Raw, Harness] : [Raw, Harness, .. PeerTools.Consumers.Select(PeerTools.Name)];
        var consumed = await Alternate(consumerModes,
            mode => mode is Raw or Harness
                ? Timed(faults, started => OnItsThread(() => ConsumeRange(mode, started)), cancellationToken)
                : PeerRun(PeerTools.Parse(mode), ConsumerScript(PeerTools.Parse(mode), rangeRecords), peerBaselines[mode]),
            runs => log($"{cell.Name}: consume round {runs[Raw].Count}: {string.Join(", ", runs.Select(r => $"{r.Key} {r.Value[^1].MessagesPerSecond:N0}/s"))}"), cancellationToken);
        var (rawConsumer, harnessConsumer) = (consumed[Raw], consumed[Harness]);

        // A paced run: its client's consumer joins first and reads the producer's warm-up records, so that
        // joining the group is not timed; it then reads alongside, and drains what was acknowledged.
        async Task<RunMetrics> PacedRun(string mode, long pacedCount, double rate, Action started)
        {
            var consumer = Consumer(mode, await Task.Run(Ends, cancellationToken), timeRecords: true);
            RunMetrics metrics;
            DrainResult drained;
            try
            {
                metrics = await ProduceOnItsThread(mode, pacedCount, rate, null, () => AwaitReady(consumer, mode, Ends(), cancellationToken), started);
                drained = await Task.Run(() => consumer.Drain(Ends(), drainIdle, cancellationToken), cancellationToken);
            }
            finally
            {
                consumer.Dispose();
            }

            return metrics with { EndToEnd = consumer.EndToEnd(), ReadToEnd = drained.Reached };
        }

        // The rate the paced runs take their shares of: the raw producer unthrottled with its consumer reading
        // alongside, as in a paced run, over the time until that consumer has read every message. The producer
        // alone is faster where the consumer shares its cores: at 80 % of its rate, both clients' paced runs
        // fell behind their schedules here, and their p99s were seconds of backlog, not latency.
        // Not under the fault: the shares are of what the whole cluster sustains.
        var aloneRate = Statistics.Median(raw.Select(r => r.MessagesPerSecond));
        var sustainedCount = Math.Max(100, (long)(aloneRate * RunDuration.TotalSeconds));
        async Task<RunMetrics> SustainedRun()
        {
            using var consumer = Consumer(Raw, await Task.Run(Ends, cancellationToken), timeRecords: false);
            var (origin, target) = (0L, 0L);
            var clockStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var producing = ProduceOnItsThread(Raw, sustainedCount, 0, null, () => AwaitReady(consumer, Raw, Ends(), cancellationToken), () =>
            {
                (origin, target) = (TimeProvider.System.GetTimestamp(), consumer.Records + sustainedCount);
                clockStarted.TrySetResult();
            });
            if (await Task.WhenAny(clockStarted.Task, producing) == producing)
            {
                await producing; // it failed before its clock started
            }

            // Watched while the producer sends, so that the time ends with the last record read.
            var read = await Task.Run(() => consumer.DrainRecords(target, drainIdle, cancellationToken), cancellationToken);
            var seconds = TimeProvider.System.GetElapsedTime(origin).TotalSeconds - (read.Reached ? 0 : drainIdle.TotalSeconds);
            var records = Math.Min(sustainedCount, consumer.Records - (target - sustainedCount));
            var produced = await producing;
            return produced with
            {
                Seconds = seconds,
                MessagesPerSecond = records / seconds,
                PayloadMegabytesPerSecond = records * (double)cell.MessageSize / seconds / 1e6,
                WireMegabytesPerSecond = produced.WireMegabytesPerSecond * produced.Seconds / seconds,
                ReadToEnd = read.Reached,
            };
        }

        var sustained = new List<RunMetrics>();
        for (var i = 0; i < Alternations; i++)
        {
            sustained.Add(await SustainedRun());
        }

        var maxRate = Statistics.Median(sustained.Select(r => r.MessagesPerSecond));
        log($"{cell.Name}: sustained with its consumer alongside, the raw client {maxRate:N0}/s (alone {aloneRate:N0}/s)");

        // Not recorded and never under the fault: the first paced run of each client, with its consumer
        // alongside, JIT-compiled code the warm-up round never ran, and was the slowest of its share.
        foreach (var mode in new[] { Raw, Harness })
        {
            var rate = maxRate * PacedShares[0];
            await PacedRun(mode, Math.Max(100, (long)(rate * PacedWarmUp.TotalSeconds)), rate, () => { });
        }

        // The producer perf test paces itself at the same rate and reports produce-to-ack percentiles; no peer
        // reports end-to-end latency.
        string[] pacedModes = peers is null ? [Raw, Harness] : [Raw, Harness, PeerTools.Name(PeerTool.ProducerPerfTest)];
        async Task<PacedResult> PacedShare(double share)
        {
            var rate = maxRate * share;
            var pacedCount = Math.Max(100, (long)(rate * PacedDuration.TotalSeconds));
            var runs = await Alternate(pacedModes,
                mode => mode is Raw or Harness
                    ? Timed(faults, started => PacedRun(mode, pacedCount, rate, started), cancellationToken)
                    : PeerProduce(mode, pacedCount, rate),
                _ => { }, cancellationToken);
            var result = new PacedResult(share, rate, runs[Raw], runs[Harness])
            {
                PerfTest = runs.GetValueOrDefault(PeerTools.Name(PeerTool.ProducerPerfTest)) ?? [],
            };
            log($"{cell.Name}: {share:P0} of max ({rate:N0}/s): median p99 produce-to-ack raw {result.RawP99:N0} µs, harness {result.HarnessP99:N0} µs; " +
                $"end-to-end raw {result.RawEndToEndP99:N0} µs, harness {result.HarnessEndToEndP99:N0} µs" +
                (result.PerfTest.Count > 0 ? $"; producer-perf-test produce-to-ack {PacedResult.MedianP99(result.PerfTest, r => r.ProduceToAck):N0} µs" : ""));
            return result;
        }

        var paced = new List<PacedResult>();
        foreach (var share in PacedShares)
        {
            var result = await PacedShare(share);

            // A point whose rounds all put the harness's p99 above the limit is measured again before it is called
            // a miss: on a machine this noisy, one such run in a dozen points comes by chance (docs/bench.md).
            if (cell.Fault is null && result.MissCandidates().Count > 0)
            {
                log($"{cell.Name}: at {share:P0} every round put the harness's {string.Join(" and ", result.MissCandidates())} p99 above raw × {P99Limit}; measuring it again");
                result = result with { Reproduction = await PacedShare(share) };
            }

            paced.Add(result);
        }

        return new BenchCellResult(cell, raw, harness, paced, rawConsumer, harnessConsumer, sustained,
            ProcessCounters.PeakWorkingSet(),
            rangeRecords)
        {
            PeerProducers = produced.Where(r => r.Key is not (Raw or Harness)).ToDictionary(r => r.Key, r => (IReadOnlyList<RunMetrics>)r.Value, StringComparer.Ordinal),
            PeerConsumers = consumed.Where(r => r.Key is not (Raw or Harness)).ToDictionary(r => r.Key, r => (IReadOnlyList<RunMetrics>)r.Value, StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// Called on the producer's thread after its warm-up and before its clock starts: waits until the
    /// consumer has read the warm-up records, so that it is in its group and fetching every partition.
    /// </summary>
    private static void AwaitReady(BenchConsumer consumer, string mode, IReadOnlyDictionary<int, long> ends, CancellationToken cancellationToken)
    {
        if (!consumer.Drain(ends, ReadyTimeout, cancellationToken).Reached)
        {
            throw new InfrastructureException(
                $"the {mode} bench consumer had not read the producer's warm-up records {ReadyTimeout.TotalSeconds:0} s after they were acknowledged: it never joined its group or was never assigned every partition");
        }
    }

    /// <summary>
    /// Runs <see cref="Alternations"/> rounds of one run of each mode, in order in even rounds and in
    /// reverse in odd ones (raw first, then harness first, for the two clients), so that no client always
    /// meets the cluster in the same state, and raw and harness always run next to each other.
    /// </summary>
    /// <returns>Every run of each mode, in order.</returns>
    private async Task<Dictionary<string, List<RunMetrics>>> Alternate(IReadOnlyList<string> modes, Func<string, Task<RunMetrics>> run,
        Action<Dictionary<string, List<RunMetrics>>> afterRound, CancellationToken cancellationToken)
    {
        var runs = modes.ToDictionary(m => m, _ => new List<RunMetrics>(), StringComparer.Ordinal);
        for (var i = 0; i < Alternations; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var mode in i % 2 == 0 ? modes : modes.Reverse())
            {
                runs[mode].Add(await run(mode));
            }

            afterRound(runs);
        }

        return runs;
    }

    /// <summary>
    /// One timed run, given a callback for when its clock starts; with a fault, the fault is applied at its
    /// offset from that moment and healed before the next run.
    /// </summary>
    private static async Task<RunMetrics> Timed(CellFaults? faults, Func<Action, Task<RunMetrics>> run, CancellationToken cancellationToken)
    {
        if (faults is null)
        {
            return await run(() => { });
        }

        var clockStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = run(() => clockStarted.TrySetResult());
        var outcome = await faults.InjectAsync(running, clockStarted.Task, cancellationToken);
        return (await running) with { Fault = outcome };
    }

    /// <summary>
    /// The raw client: <c>Produce</c> with one delivery handler, reading the intended send time (Stopwatch
    /// ticks, at offset 8 after the sequence) back from the value as the harness reads it from its
    /// envelope. It sends <c>count</c> messages, or fewer when <c>duration</c> passes first, at <c>rate</c>
    /// (0: as fast as it can). <c>ready</c> runs after its warm-up, before its clock starts.
    /// </summary>
    private static RunMetrics RunRawProducer(Dictionary<string, string> config, string topic, BenchCell cell, long count, double rate, TimeSpan? duration, Action ready,
        Action started, CancellationToken cancellationToken)
    {
        var latency = new LatencyRecorder();
        long txBytes = 0, failed = 0;
        using var producer = new ProducerBuilder<byte[]?, byte[]>(config)
            .SetLogHandler((_, _) => { }) // as the harness's clients in a bench: client warnings are not the bench's output
            .SetStatisticsHandler((_, json) => Interlocked.Exchange(ref txBytes, TxBytes(json)))
            .Build();
        for (var partition = 0; partition < cell.Partitions; partition++)
        {
            producer.Produce(new TopicPartition(topic, partition), new Message<byte[]?, byte[]> { Value = [] });
        }

        producer.Flush(WarmUpTimeout);
        ready();
        void OnDelivery(DeliveryReport<byte[]?, byte[]> report)
        {
            if (!report.Error.IsError)
            {
                latency.Record((TimeProvider.System.GetTimestamp() - BinaryPrimitives.ReadInt64LittleEndian(report.Message.Value.AsSpan(8))) * 1_000_000 / TimeProvider.System.TimestampFrequency);
            }
            else
            {
                Interlocked.Increment(ref failed);
            }
        }

        Action<DeliveryReport<byte[]?, byte[]>> handler = OnDelivery;
        var before = ProcessCounters.Read();
        var stopAt = duration is { } d ? (long)(d.TotalSeconds * TimeProvider.System.TimestampFrequency) : long.MaxValue;
        var origin = TimeProvider.System.GetTimestamp();
        started();
        long sent = 0;
        for (; sent < count && !cancellationToken.IsCancellationRequested; sent++)
        {
            var due = rate > 0 ? origin + (long)(sent * TimeProvider.System.TimestampFrequency / rate) : TimeProvider.System.GetTimestamp();
            if (due - origin >= stopAt)
            {
                break;
            }

            while (rate > 0 && TimeProvider.System.GetTimestamp() < due)
            {
                if (due - TimeProvider.System.GetTimestamp() > TimeProvider.System.TimestampFrequency / 500)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(1));
                }
                else
                {
                    TimeProvider.System.Sleep(TimeSpan.FromMilliseconds(1)); // as the harness producer waits: no spinning (the raw baseline runs on the real clock)
                }
            }

            var value = new byte[cell.MessageSize];
            BinaryPrimitives.WriteInt64LittleEndian(value, sent);
            BinaryPrimitives.WriteInt64LittleEndian(value.AsSpan(8), due);
            var message = new Message<byte[]?, byte[]> { Value = value };
            while (true)
            {
                try
                {
                    producer.Produce(topic, message, handler);
                    break;
                }
                catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(SequencedProducer.QueueFullWait);
                }
            }
        }

        producer.Flush(FlushTimeout);
        var seconds = TimeProvider.System.GetElapsedTime(origin).TotalSeconds;
        TimeProvider.System.Sleep(StatisticsCallbackWait); // one more statistics callback for the wire bytes
        producer.Poll(TimeSpan.Zero);
        return Metrics(Raw, sent, cell.MessageSize, seconds, Interlocked.Read(ref txBytes), before, rate > 0 ? latency.Summarize() : null, Interlocked.Read(ref failed));
    }

    /// <summary>The harness: a <see cref="SequencedProducer"/> journalling every outcome to disk.</summary>
    private RunMetrics RunHarnessProducer(Dictionary<string, string> config, string topic, BenchCell cell, long count, double rate, TimeSpan? duration, Action ready,
        Action started, CancellationToken cancellationToken)
    {
        long txBytes = 0;
        using var journal = new ScratchJournal(_scratch, time);
        using var producer = new SequencedProducer(0, _harnessRunId, topic, count, cell.MessageSize, KeyStrategy.None, config, journal.Writer, time, _ => { },
            json => Interlocked.Exchange(ref txBytes, TxBytes(json)));
        producer.WarmUp(cell.Partitions, WarmUpTimeout);
        ready();
        using var stop = duration is { } d ? TimeProvider.System.Limit(d, cancellationToken) : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var before = ProcessCounters.Read();
        var clock = TimeProvider.System.GetTimestamp();
        started();

        producer.Run(rate, stop.Token);
        producer.Finish(FlushTimeout);
        var seconds = TimeProvider.System.GetElapsedTime(clock).TotalSeconds;
        time.Sleep(StatisticsCallbackWait);
        return Metrics(Harness, producer.Sent, cell.MessageSize, seconds, Interlocked.Read(ref txBytes), before, rate > 0 ? producer.ProduceToAck.Summarize() : null,
            producer.FailedDeliveries);
    }

    private static RunMetrics Metrics(string mode, long count, int size, double seconds, long wireBytes, ProcessCounters before, LatencySummary? latency, long failed)
    {
        var after = ProcessCounters.Read();
        var perMessage = Math.Max(count, 1);
        return new RunMetrics(mode, count, seconds,
            seconds > 0 ? count / seconds : 0,
            seconds > 0 ? count * (double)size / seconds / 1e6 : 0,
            seconds > 0 ? wireBytes / seconds / 1e6 : 0,
            (after.Cpu - before.Cpu).TotalMicroseconds / perMessage,
            (double)(after.Allocated - before.Allocated) / perMessage,
            after.Gen0 - before.Gen0, after.Gen1 - before.Gen1, after.Gen2 - before.Gen2,
            latency, failed, GcPauseMilliseconds: (after.GcPause - before.GcPause).TotalMilliseconds);
    }

    /// <summary>
    /// A peer run as the bench's figures: its messages over its seconds, less <paramref name="subtractSeconds"/>
    /// (a consumer's fixed cost); CPU per message is the container's, JVM start included; allocation and
    /// collections are the JVM's own business and are not measured. The verifiable producer's payload is
    /// its sequence as text, not the cell's size, and is not counted.
    /// </summary>
    private static RunMetrics PeerMetrics(PeerTool tool, PeerOutput output, double subtractSeconds, int size)
    {
        var seconds = output.Seconds - subtractSeconds;
        if (seconds <= 0 || output.Messages == 0)
        {
            throw new InfrastructureException(string.Create(CultureInfo.InvariantCulture,
                $"{PeerTools.Name(tool)} handled {output.Messages:N0} messages in {output.Seconds:0.00} s, less {subtractSeconds:0.00} s of fixed cost: nothing to measure"));
        }

        return new RunMetrics(PeerTools.Name(tool), output.Messages, seconds, output.Messages / seconds, tool == PeerTool.VerifiableProducer ? 0 : output.Messages * (double)size / seconds / 1e6, 0,
            output.CpuMicros / output.Messages, 0, 0, 0, 0, output.ProduceToAck, output.Failed);
    }

    /// <summary>librdkafka's statistics: total bytes sent to brokers.</summary>
    private static long TxBytes(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty("tx_bytes", out var bytes) ? bytes.GetInt64() : 0;
    }

    /// <summary>
    /// A fault cell's nemesis: one application of the fault per timed run, at the same offset for both
    /// clients, healed (cluster whole again) before the next run; its timeline goes to a journal in the
    /// bench directory so that what each run met can be checked afterwards.
    /// </summary>
    private sealed class CellFaults : IDisposable
    {
        private readonly KafkaCluster _cluster;
        private readonly TimeProvider _time;
        private readonly Action<string> _log;
        private readonly BenchCell _cell;
        private readonly FaultSpec _fault;
        private readonly string _topic;
        private readonly JournalWriter _journal;
        private readonly Random _random;

        public CellFaults(KafkaCluster cluster, string journalDirectory, TimeProvider time, Action<string> log, BenchCell cell, FaultSpec fault, string topic, int seed)
        {
            (_cluster, _time, _log, _cell, _fault, _topic) = (cluster, time, log, cell, fault, topic);
            _journal = new JournalWriter(Directory.CreateDirectory(journalDirectory).FullName, time);
            _journal.WriteRunStarted(cell.Name, time.Millis(), new Dictionary<string, string> { ["fault"] = fault.Describe(), ["topic"] = topic });
            _random = new Random(seed);
        }

        /// <summary>Applies the fault when it is due after the run's clock started (unless the run ended first), holds it, heals it.</summary>
        /// <returns>What the run met, for its metrics.</returns>
        public async Task<string> InjectAsync(Task running, Task clockStarted, CancellationToken cancellationToken)
        {
            if (await Task.WhenAny(running, clockStarted) != clockStarted)
            {
                await running; // it failed before it started: let that surface
            }

            var clock = TimeProvider.System.GetTimestamp();
            var due = Task.Delay(_fault.When.At, _time, cancellationToken);
            if (await Task.WhenAny(running, due) != due)
            {
                return $"{_fault.Kind} not applied: the run ended after {TimeProvider.System.GetElapsedTime(clock).TotalSeconds:0.0} s, before the fault was due";
            }

            var fault = FaultKinds.Create(_fault, new FaultContext(_cluster.Access, _topic, _cell.Partitions, null, null, _random, _journal, _time, _log));
            var appliedAt = TimeProvider.System.GetElapsedTime(clock).TotalSeconds;
            try
            {
                await fault.ApplyAsync(cancellationToken);
                await Task.WhenAny(running, Task.Delay(_fault.Duration, _time, cancellationToken));
            }
            finally
            {
                await fault.HealAsync(cancellationToken);
            }

            return fault.Verified
                ? $"{_fault.Kind} applied at {appliedAt:0.0} s and verified"
                : $"{_fault.Kind} applied at {appliedAt:0.0} s but its effect was not observed";
        }

        public void Dispose()
        {
            _journal.WriteRunEnded(_time.Millis(), RunStatus.Completed);
            _journal.Dispose();
        }

        public static string Slug(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-'));
    }
}
