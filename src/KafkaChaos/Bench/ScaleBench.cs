using System.Diagnostics;
using Confluent.Kafka;
using KafkaChaos.Cluster;
using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using KafkaChaos.Workload;

namespace KafkaChaos.Bench;

/// <summary>
/// How the harness's cost grows with the work (docs/bench.md, "Scale"): at each point, the raw client and
/// the harness each send every message from as many producers and read it back with one consumer, on a
/// topic of their own; then the harness does what every experiment ends with, the final read of the
/// whole topic and the verify of its journal.
/// </summary>
/// <remarks>
/// The harness here is the experiments' own code: <see cref="ProducerGroup"/> (lanes on threads of their
/// own, one journal), <see cref="ConsumerGroup"/>, <see cref="FinalLogReader"/>, <see cref="LedgerChecker"/>.
/// The raw side is one plain Confluent.Kafka producer per lane and a plain <c>Consume</c> loop. Before
/// each phase a full, compacting, decommitting collection returns what the last phase left, so that the
/// phase's peak is its own as far as the runtime allows.
/// </remarks>
public sealed class ScaleBench(KafkaCluster cluster, string scratch, TimeProvider time, Action<string> log)
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromMinutes(5);

    public int MessageSize { get; init; } = 100;

    public string Acks { get; init; } = "1";

    public async Task<ScaleResult> MeasureAsync(ScalePoint point, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(point);
        var producerConfig = new Dictionary<string, string>(cluster.ClientSettings, StringComparer.Ordinal)
        {
            ["acks"] = Acks,
            ["linger.ms"] = "5",
            ["queue.buffering.max.messages"] = "1000000",
            [ConfigPropertyNames.Producer.DeliveryReportFields] = SequencedProducer.DeliveryReportFields,
        };
        var consumerConfig = new Dictionary<string, string>(cluster.ClientSettings, StringComparer.Ordinal)
        {
            ["auto.offset.reset"] = "earliest",
            // librdkafka's default (45 s) is above what brokers before 0.10.1 accept (30 s): the group would never form.
            ["session.timeout.ms"] = ClientCompatibility.SessionTimeoutMs(cluster.Version).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["fetch.queue.backoff.ms"] = "10",
            [ConfigPropertyNames.Consumer.ConsumeResultFields] = "none",
        };

        var rawTopic = await TopicAsync("scale-raw", point, cancellationToken);
        var raw = await Phase(point.Messages, () => RawProduceAndConsume(point, rawTopic, producerConfig, consumerConfig, cancellationToken), cancellationToken);
        await cluster.Access.Topics.DeleteTopicAsync(rawTopic, cancellationToken);
        log($"{point.Name}: raw {raw.Seconds:0.0} s, {raw.CpuMicrosPerMessage:0.00} µs/msg, peak {raw.PeakWorkingSetBytes / 1e6:0} MB");

        var topic = await TopicAsync("scale-harness", point, cancellationToken);
        var runId = Guid.NewGuid();
        var directory = Directory.CreateDirectory(Path.Combine(scratch, "scale-" + runId.ToString("N"))).FullName;
        try
        {
            ScalePhase harness, finalRead;
            using (var journal = new JournalWriter(directory, time))
            {
                journal.WriteRunStarted("bench-scale", time.Millis(), new Dictionary<string, string>());
                harness = await Phase(point.Messages, () => HarnessProduceAndConsume(point, topic, runId, producerConfig, consumerConfig, directory, journal, cancellationToken),
                    cancellationToken);
                log($"{point.Name}: harness {harness.Seconds:0.0} s, {harness.CpuMicrosPerMessage:0.00} µs/msg, peak {harness.PeakWorkingSetBytes / 1e6:0} MB");
                finalRead = await Phase(point.Messages, () =>
                {
                    var summary = new FinalLogReader(topic, point.Partitions, runId, cluster.ClientSettings, journal, time, _ => { }).Read(Idle, cancellationToken);
                    journal.WriteFinalReadEnded(time.Millis(), summary);
                }, cancellationToken);
                journal.WriteRunEnded(time.Millis(), RunStatus.Completed);
            }

            var journalBytes = new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
            LedgerCounts counts = new();
            var verify = await Phase(point.Messages, () => counts = LedgerChecker.Check(JournalReader.ReadRunDirectory(directory).History).Counts, cancellationToken);
            var exact = counts.Sent == point.Messages && counts.Acked == point.Messages && counts is { Lost: 0, LostUnacked: 0, DuplicateWrites: 0 };
            log($"{point.Name}: final read {finalRead.Seconds:0.0} s, journal {journalBytes / (double)point.Messages:0.0} B/msg, verify {verify.Seconds:0.00} s" +
                (exact ? "" : $"; the verify did not count every message exactly: {counts.Sent:N0} sent, {counts.Acked:N0} acked, {counts.Lost:N0} lost"));
            return new ScaleResult(point, raw, harness, finalRead, journalBytes / (double)point.Messages, verify, exact);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
            await cluster.Access.Topics.DeleteTopicAsync(topic, CancellationToken.None);
        }
    }

    private async Task<string> TopicAsync(string prefix, ScalePoint point, CancellationToken cancellationToken)
    {
        var topic = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
        await cluster.CreateTopicAsync(topic, point.Partitions, 1, new Dictionary<string, string>(), cancellationToken);
        return topic;
    }

    /// <summary>Runs <paramref name="work"/> on a thread of its own, sampling the working set every 20 ms.</summary>
    private async Task<ScalePhase> Phase(long messages, Action work, CancellationToken cancellationToken)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var start = process.WorkingSet64;
        var peak = start;
        var before = ProcessCounters.Read();
        var clock = TimeProvider.System.GetTimestamp();
        var running = Task.Factory.StartNew(work, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        while (!running.IsCompleted)
        {
            await Task.WhenAny(running, Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken));
            process.Refresh();
            peak = Math.Max(peak, process.WorkingSet64);
        }

        await running;
        var seconds = TimeProvider.System.GetElapsedTime(clock).TotalSeconds;
        var cpu = (ProcessCounters.Read().Cpu - before.Cpu).TotalMicroseconds;
        return new ScalePhase(seconds, cpu / Math.Max(1, messages), peak, peak - start);
    }

    private void RawProduceAndConsume(ScalePoint point, string topic, IReadOnlyDictionary<string, string> producerConfig, IReadOnlyDictionary<string, string> consumerConfig,
        CancellationToken cancellationToken)
    {
        var threads = Enumerable.Range(0, point.Producers).Select(lane => new Thread(() =>
        {
            var share = point.Messages / point.Producers + (lane < point.Messages % point.Producers ? 1 : 0);
            using var producer = new ProducerBuilder<byte[]?, byte[]>(producerConfig).SetLogHandler((_, _) => { }).Build();
            long failed = 0;
            Action<DeliveryReport<byte[]?, byte[]>> handler = report =>
            {
                if (report.Error.IsError)
                {
                    Interlocked.Increment(ref failed);
                }
            };
            for (long sent = 0; sent < share && !cancellationToken.IsCancellationRequested; sent++)
            {
                var value = new byte[MessageSize];
                System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(value, sent);
                while (true)
                {
                    try
                    {
                        producer.Produce(topic, new Message<byte[]?, byte[]> { Value = value }, handler);
                        break;
                    }
                    catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        producer.Poll(SequencedProducer.QueueFullWait);
                    }
                }
            }

            producer.Flush(FlushTimeout);
            if (Interlocked.Read(ref failed) > 0)
            {
                log($"raw lane {lane}: {failed:N0} deliveries failed");
            }
        }) { IsBackground = true, Name = "scale raw producer" }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var config = new Dictionary<string, string>(consumerConfig) { ["group.id"] = $"scale-raw-{Guid.NewGuid():N}" };
        using var consumer = new RawBenchConsumer(config, topic, point.Partitions, timeRecords: false);
        var ends = Ends(topic, point.Partitions, cancellationToken);
        consumer.Start();
        if (!consumer.Drain(ends, Idle, cancellationToken).Reached)
        {
            throw new InfrastructureException($"{point.Name}: the raw consumer stopped short of the end offsets of {topic}");
        }
    }

    private void HarnessProduceAndConsume(ScalePoint point, string topic, Guid runId, IReadOnlyDictionary<string, string> producerConfig,
        IReadOnlyDictionary<string, string> consumerConfig, string directory, JournalWriter journal, CancellationToken cancellationToken)
    {
        using (var producers = new ProducerGroup(point.Producers, runId, topic, point.Messages, MessageSize, MessageKeys.None, 0, producerConfig, journal, time, _ => { }))
        {
            producers.Run(cancellationToken);
            producers.Finish(FlushTimeout);
        }

        var config = new Dictionary<string, string>(consumerConfig) { ["group.id"] = $"scale-harness-{Guid.NewGuid():N}" };
        using var consumer = new HarnessBenchConsumer(config, topic, runId, directory, journal, time);
        var ends = Ends(topic, point.Partitions, cancellationToken);
        consumer.Start();
        if (!consumer.Drain(ends, Idle, cancellationToken).Reached)
        {
            throw new InfrastructureException($"{point.Name}: the verifying consumer stopped short of the end offsets of {topic}");
        }
    }

    private IReadOnlyDictionary<int, long> Ends(string topic, int partitions, CancellationToken cancellationToken)
    {
        using var probe = new ConsumerBuilder<Ignore, Ignore>(new Dictionary<string, string>(cluster.ClientSettings) { ["group.id"] = "scale-probe" })
            .SetLogHandler((_, _) => { }).Build();
        return PartitionEnds.ReadAll(probe, topic, partitions, time, _ => { }, cancellationToken);
    }
}
