using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using KafkaChaos.Cluster;
using KafkaChaos.Journal;
using KafkaChaos.Workload;

namespace KafkaChaos.Bench;

/// <summary>
/// Measures what the harness costs against a raw Confluent.Kafka client doing the same work, on the
/// same cluster, with identical client settings and payload sizes: producer throughput (alternating
/// raw and harness, raw first and harness first in turn), produce-to-ack latency at 10, 50 and 80% of
/// the raw client's maximum rate, and consumer throughput.
/// </summary>
/// <remarks>
/// The raw producer is <c>Produce</c> with one delivery handler that reads the sequence from the value
/// and records latency; the raw consumer is a plain <c>Consume</c> loop. The harness is the real one:
/// envelope, outcome claiming, journal on disk, verifying consumer with its journal.
/// </remarks>
public sealed class BenchRunner(IKafkaTarget cluster, string scratchDirectory, TimeProvider time, Action<string> log)
{
    public int Alternations { get; init; } = 3;
    public long ThroughputMessages { get; init; } = 100_000;
    public TimeSpan PacedDuration { get; init; } = TimeSpan.FromSeconds(3);

    public async Task<BenchCellResult> RunAsync(BenchCell cell, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cell);
        var topic = $"bench-{Guid.NewGuid():N}"[..20];
        await cluster.CreateTopicAsync(topic, cell.Partitions, 1, new Dictionary<string, string>(), cancellationToken);
        var producerConfig = new Dictionary<string, string>(cluster.ClientSettings, StringComparer.Ordinal)
        {
            ["acks"] = cell.Acks,
            ["linger.ms"] = cell.LingerMs.ToString(CultureInfo.InvariantCulture),
            ["statistics.interval.ms"] = "500",
            ["queue.buffering.max.messages"] = "1000000",
        };

        var raw = new List<RunMetrics>();
        var harness = new List<RunMetrics>();
        for (var i = 0; i < Alternations; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (i % 2 == 0)
            {
                raw.Add(RunRawProducer(producerConfig, topic, cell.MessageSize, ThroughputMessages, 0));
                harness.Add(RunHarnessProducer(producerConfig, topic, cell.MessageSize, ThroughputMessages, 0));
            }
            else
            {
                harness.Add(RunHarnessProducer(producerConfig, topic, cell.MessageSize, ThroughputMessages, 0));
                raw.Add(RunRawProducer(producerConfig, topic, cell.MessageSize, ThroughputMessages, 0));
            }

            log($"{cell.Name}: produce round {i + 1}: raw {raw[^1].MessagesPerSecond:N0}/s, harness {harness[^1].MessagesPerSecond:N0}/s");
        }

        var maxRate = Statistics.Median(raw.Select(r => r.MessagesPerSecond));
        var paced = new List<PacedResult>();
        foreach (var share in new[] { 0.1, 0.5, 0.8 })
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rate = maxRate * share;
            var count = Math.Max(100, (long)(rate * PacedDuration.TotalSeconds));
            var rawPaced = RunRawProducer(producerConfig, topic, cell.MessageSize, count, rate);
            var harnessPaced = RunHarnessProducer(producerConfig, topic, cell.MessageSize, count, rate);
            paced.Add(new PacedResult(share, rate, rawPaced, harnessPaced));
            log($"{cell.Name}: {share:P0} of max ({rate:N0}/s): p99 raw {rawPaced.Latency?.P99} µs, harness {harnessPaced.Latency?.P99} µs");
        }

        var consumerConfig = new Dictionary<string, string>(cluster.ClientSettings, StringComparer.Ordinal)
        {
            ["auto.offset.reset"] = "earliest",
            ["session.timeout.ms"] = ((int)Math.Min(6_000, ClientCompatibility.MaxSessionTimeout(cluster.Version).TotalMilliseconds)).ToString(CultureInfo.InvariantCulture),
        };
        var rawConsumer = new List<RunMetrics>();
        var harnessConsumer = new List<RunMetrics>();
        for (var i = 0; i < Alternations; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rawConsumer.Add(RunRawConsumer(consumerConfig, topic, ThroughputMessages, cell.MessageSize));
            harnessConsumer.Add(await RunHarnessConsumerAsync(consumerConfig, topic, ThroughputMessages, cell.MessageSize, cancellationToken));
            log($"{cell.Name}: consume round {i + 1}: raw {rawConsumer[^1].MessagesPerSecond:N0}/s, harness {harnessConsumer[^1].MessagesPerSecond:N0}/s");
        }

        return new BenchCellResult(cell, raw, harness, paced, rawConsumer, harnessConsumer,
            Statistics.Median(harness.Zip(raw, (h, r) => h.MessagesPerSecond / r.MessagesPerSecond)),
            Statistics.Median(harnessConsumer.Zip(rawConsumer, (h, r) => h.MessagesPerSecond / r.MessagesPerSecond)),
            ProcessCounters.PeakWorkingSet());
    }

    private RunMetrics RunRawProducer(Dictionary<string, string> config, string topic, int size, long count, double rate)
    {
        var latency = new LatencyRecorder();
        var intended = new long[count];
        long txBytes = 0;
        using var producer = new ProducerBuilder<byte[]?, byte[]>(config)
            .SetStatisticsHandler((_, json) => Interlocked.Exchange(ref txBytes, TxBytes(json)))
            .Build();
        var clock = Stopwatch.StartNew();
        void OnDelivery(DeliveryReport<byte[]?, byte[]> report)
        {
            if (!report.Error.IsError)
            {
                var sequence = BinaryPrimitives.ReadInt64LittleEndian(report.Message.Value);
                latency.Record((clock.ElapsedTicks - intended[sequence]) * 1_000_000 / Stopwatch.Frequency);
            }
        }

        Action<DeliveryReport<byte[]?, byte[]>> handler = OnDelivery;
        var before = ProcessCounters.Read();
        for (long sequence = 0; sequence < count; sequence++)
        {
            var due = rate > 0 ? (long)(sequence * Stopwatch.Frequency / rate) : clock.ElapsedTicks;
            while (rate > 0 && clock.ElapsedTicks < due)
            {
                if (due - clock.ElapsedTicks > Stopwatch.Frequency / 500)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(1));
                }
                else
                {
                    Thread.SpinWait(50);
                }
            }

            intended[sequence] = due;
            var value = new byte[size];
            BinaryPrimitives.WriteInt64LittleEndian(value, sequence);
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
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }

        producer.Flush(TimeSpan.FromMinutes(2));
        var seconds = clock.Elapsed.TotalSeconds;
        Thread.Sleep(600); // one more statistics callback for the wire bytes
        producer.Poll(TimeSpan.Zero);
        return Metrics("raw", count, size, seconds, Interlocked.Read(ref txBytes), before, rate > 0 ? latency.Summarize() : null);
    }

    private RunMetrics RunHarnessProducer(Dictionary<string, string> config, string topic, int size, long count, double rate)
    {
        var directory = Directory.CreateDirectory(Path.Combine(scratchDirectory, "run-" + Guid.NewGuid().ToString("N"))).FullName;
        long txBytes = 0;
        try
        {
            using var journal = new JournalWriter(directory, time);
            journal.WriteRunStarted("bench", time.Millis(), new Dictionary<string, string>());
            using var producer = new SequencedProducer(0, Guid.NewGuid(), topic, count, size, KeyStrategy.None, config, journal, time, _ => { },
                json => Interlocked.Exchange(ref txBytes, TxBytes(json)));
            var before = ProcessCounters.Read();
            var clock = Stopwatch.StartNew();
            producer.Run(rate, CancellationToken.None);
            producer.Finish(TimeSpan.FromMinutes(2));
            var seconds = clock.Elapsed.TotalSeconds;
            Thread.Sleep(600);
            return Metrics("harness", count, size, seconds, Interlocked.Read(ref txBytes), before, rate > 0 ? producer.ProduceToAck.Summarize() : null);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static RunMetrics RunRawConsumer(Dictionary<string, string> config, string topic, long count, int size)
    {
        var settings = new Dictionary<string, string>(config) { ["group.id"] = $"bench-raw-{Guid.NewGuid():N}" };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(settings).Build();
        consumer.Subscribe(topic);
        long read = 0;
        Stopwatch? clock = null;
        var before = ProcessCounters.Read();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (read < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: not null })
            {
                clock ??= Stopwatch.StartNew();
                read++;
            }
        }

        var seconds = clock?.Elapsed.TotalSeconds ?? 0;
        consumer.Close();
        return Metrics("raw", read, size, seconds, 0, before, null);
    }

    private async Task<RunMetrics> RunHarnessConsumerAsync(Dictionary<string, string> config, string topic, long count, int size, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateDirectory(Path.Combine(scratchDirectory, "run-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            using var journal = new JournalWriter(directory, time);
            journal.WriteRunStarted("bench", time.Millis(), new Dictionary<string, string>());
            var settings = new Dictionary<string, string>(config) { ["group.id"] = $"bench-harness-{Guid.NewGuid():N}" };
            using var group = new ConsumerGroup(Guid.NewGuid(), topic, new ConsumerSpec(), settings, directory, journal, time, _ => { });
            var before = ProcessCounters.Read();
            group.Start();
            Stopwatch? clock = null;
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (group.Progress.Records < count && DateTime.UtcNow < deadline)
            {
                if (clock is null && group.Progress.Records > 0)
                {
                    clock = Stopwatch.StartNew();
                }

                await Task.Delay(5, cancellationToken);
            }

            var seconds = clock?.Elapsed.TotalSeconds ?? 0;
            var read = group.Progress.Records;
            group.Dispose();
            return Metrics("harness", read, size, seconds, 0, before, null);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static RunMetrics Metrics(string mode, long count, int size, double seconds, long wireBytes, ProcessCounters before, LatencySummary? latency)
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
            latency);
    }

    /// <summary>librdkafka's statistics: total bytes sent to brokers.</summary>
    private static long TxBytes(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty("tx_bytes", out var bytes) ? bytes.GetInt64() : 0;
    }
}
