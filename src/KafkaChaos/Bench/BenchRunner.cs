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
public sealed partial class BenchRunner(KafkaCluster cluster, string directory, TimeProvider time, Action<string> log)
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
        using var rounds = new CellRounds(this, cluster, time, log, cell, topic, peerTopic, cancellationToken);
        return await rounds.RunAsync();
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
        using var producer = new SequencedProducer(0, _harnessRunId, topic, count, cell.MessageSize, MessageKeys.None, config, journal.Writer, time, _ => { },
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
