using System.Globalization;
using Confluent.Kafka;
using KafkaChaos.Cluster;
using KafkaChaos.Workload;

namespace KafkaChaos.Bench;

public sealed partial class BenchRunner
{
    /// <summary>
    /// The rounds of one cell, each a phase of its own: the warm-up, the unthrottled produce rounds, the range
    /// both consumers read, the consume rounds, the sustained rate, and the paced shares of it. What the phases
    /// share (the clients' settings, the probe of the topic's ends, the cell's fault) is held here.
    /// </summary>
    private sealed class CellRounds : IDisposable
    {
        private readonly BenchRunner _runner;
        private readonly KafkaCluster _cluster;
        private readonly TimeProvider _time;
        private readonly Action<string> _log;
        private readonly BenchCell _cell;
        private readonly string _topic;
        private readonly string? _peerTopic;
        private readonly ToolContainer? _peers;
        private readonly Dictionary<string, string> _producerConfig;
        private readonly Dictionary<string, string> _consumerConfig;
        private readonly TimeSpan _drainIdle;
        private readonly IConsumer<Ignore, Ignore> _probe;
        private readonly CellFaults? _faults;
        private readonly CancellationToken _cancellationToken;
        private long _count;
        private TimeSpan? _duration;
        private long _peerCount;

        public CellRounds(BenchRunner runner, KafkaCluster cluster, TimeProvider time, Action<string> log, BenchCell cell, string topic, string? peerTopic, CancellationToken cancellationToken)
        {
            (_runner, _cluster, _time, _log, _cell, _topic, _peerTopic, _cancellationToken) = (runner, cluster, time, log, cell, topic, peerTopic, cancellationToken);
            _peers = peerTopic is null ? null : runner.Peers;
            _producerConfig = ProducerConfig(cluster, cell);
            _consumerConfig = ConsumerConfig(cluster);
            _drainIdle = DrainIdleTimeout + (cell.Fault?.Duration ?? TimeSpan.Zero);
            Directory.CreateDirectory(runner._scratch);
            _probe = new ConsumerBuilder<Ignore, Ignore>(new Dictionary<string, string>(_consumerConfig) { ["group.id"] = "bench-probe" }).SetLogHandler((_, _) => { }).Build();
            _faults = cell.Fault is { } fault ? new CellFaults(cluster, Path.Combine(runner._faults, CellFaults.Slug(cell.Name)), time, log, cell, fault, topic, runner.Seed) : null;
        }

        public async Task<BenchCellResult> RunAsync()
        {
            WarmUp();
            var produced = await ProduceRoundsAsync();
            var (raw, harness) = (produced[Raw], produced[Harness]);
            var (harnessStart, harnessEnd) = await WriteConsumerRangeAsync();
            var rangeRecords = harnessEnd.Sum(end => end.Value - harnessStart.GetValueOrDefault(end.Key));
            var consumed = await ConsumeRoundsAsync(harnessStart, harnessEnd, rangeRecords);
            var (sustained, maxRate) = await SustainedAsync(raw);
            var paced = await PacedAsync(maxRate);
            return new BenchCellResult(_cell, raw, harness, paced, consumed[Raw], consumed[Harness], sustained, ProcessCounters.PeakWorkingSet(), rangeRecords)
            {
                PeerProducers = produced.Where(r => r.Key is not (Raw or Harness)).ToDictionary(r => r.Key, r => (IReadOnlyList<RunMetrics>)r.Value, StringComparer.Ordinal),
                PeerConsumers = consumed.Where(r => r.Key is not (Raw or Harness)).ToDictionary(r => r.Key, r => (IReadOnlyList<RunMetrics>)r.Value, StringComparer.Ordinal),
            };
        }

        public void Dispose()
        {
            _faults?.Dispose();
            _probe.Dispose();
        }

        private static Dictionary<string, string> ProducerConfig(KafkaCluster cluster, BenchCell cell)
        {
            var config = new Dictionary<string, string>(cluster.ClientSettings, StringComparer.Ordinal)
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
                config["batch.size"] = batchSize.ToString(CultureInfo.InvariantCulture);
            }

            return config;
        }

        private static Dictionary<string, string> ConsumerConfig(KafkaCluster cluster) => new(cluster.ClientSettings, StringComparer.Ordinal)
        {
            // Consumers start at committed offsets; an offset out of range (a truncated log) skips to the end.
            ["auto.offset.reset"] = "latest",
            ["session.timeout.ms"] = ClientCompatibility.SessionTimeoutMs(cluster.Version).ToString(CultureInfo.InvariantCulture),
            // Once 100,000 records wait in its queue (queued.min.messages), librdkafka postpones the next fetch by
            // this long, 1 s by default, while a client empties that queue in about 0.2 s and then idles. Which
            // client crosses that line depends on a few hundred ns per record, so the default turned a small
            // difference into seconds of idling in some rounds and none in others (docs/bench.md).
            ["fetch.queue.backoff.ms"] = "10",
            // Neither consumer reads a record's topic, timestamp or headers; the verifying consumer turns them
            // off on its own, and the raw one gets the same settings.
            [ConfigPropertyNames.Consumer.ConsumeResultFields] = "none",
        };

        private IReadOnlyDictionary<int, long> Ends() => PartitionEnds.ReadAll(_probe, _topic, _cell.Partitions, _time, _ => { }, _cancellationToken);

        private RunMetrics Produce(string mode, long count, double rate, TimeSpan? duration, Action ready, Action started) => mode == Raw
            ? RunRawProducer(_producerConfig, _topic, _cell, count, rate, duration, ready, started, _cancellationToken)
            : _runner.RunHarnessProducer(_producerConfig, _topic, _cell, count, rate, duration, ready, started, _cancellationToken);

        private Task<RunMetrics> OnItsThread(Func<RunMetrics> run) => Task.Factory.StartNew(run, _cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        private Task<RunMetrics> ProduceOnItsThread(string mode, long count, double rate, TimeSpan? duration, Action ready, Action started) =>
            OnItsThread(() => Produce(mode, count, rate, duration, ready, started));

        private BenchConsumer Consumer(string mode, IReadOnlyDictionary<int, long> start, bool timeRecords)
        {
            var config = new Dictionary<string, string>(_consumerConfig) { ["group.id"] = $"bench-{mode}-{Guid.NewGuid():N}" };
            BenchConsumer.CommitStart(config, _topic, start);
            BenchConsumer consumer = mode == Raw
                ? new RawBenchConsumer(config, _topic, _cell.Partitions, timeRecords)
                : new HarnessBenchConsumer(config, _topic, _runner._harnessRunId, _runner._scratch, _time);
            consumer.Start();
            return consumer;
        }

        private async Task<RunMetrics> PeerRun(PeerTool tool, string script, double subtractSeconds)
        {
            var (_, output) = await _peers!.RunAsync(script, _cancellationToken);
            return PeerMetrics(tool, PeerOutput.Parse(tool, output), subtractSeconds, _cell.MessageSize);
        }

        private Task<RunMetrics> PeerProduce(string mode, long peerMessages, double rate)
        {
            var tool = PeerTools.Parse(mode);
            return PeerRun(tool, PeerTools.ProducerScript(tool, _cluster.Version, _cluster.BootstrapServers, _peerTopic!, peerMessages, _cell, rate), 0);
        }

        private string ConsumerScript(PeerTool tool, long records) =>
            PeerTools.ConsumerScript(tool, _cluster.Version, _cluster.BootstrapServers, _topic, records, $"bench-{PeerTools.Name(tool)}-{Guid.NewGuid():N}");

        /// <summary>
        /// Not recorded and never under the fault: JIT, the broker's first segments, and a first rate, which sizes
        /// the unthrottled runs (they send for RunDuration; the count only bounds the harness's outcome bitmap).
        /// </summary>
        private void WarmUp()
        {
            var warmUp = Math.Max(Produce(Raw, _runner.WarmUpMessages, 0, null, () => { }, () => { }).MessagesPerSecond,
                Produce(Harness, _runner.WarmUpMessages, 0, null, () => { }, () => { }).MessagesPerSecond);
            (_count, _duration) = _runner.ThroughputMessages is { } fixedCount
                ? (fixedCount, (TimeSpan?)null)
                : (Math.Max(100_000, (long)(warmUp * _runner.RunDuration.TotalSeconds * 4)), _runner.RunDuration);
            _log($"{_cell.Name}: warm-up at {warmUp:N0}/s; unthrottled runs of {(_duration is { } d ? $"{d.TotalSeconds:0.#} s" : $"{_count:N0} messages")}");

            // A peer sends what the raw client sends in RunDuration at the warm-up's rate (or the fixed count).
            _peerCount = _runner.ThroughputMessages ?? Math.Max(100_000, (long)(warmUp * _runner.RunDuration.TotalSeconds));
        }

        private Task<Dictionary<string, List<RunMetrics>>> ProduceRoundsAsync()
        {
            string[] modes = _peers is null ? [Raw, Harness] : [Raw, Harness, .. PeerTools.Producers.Select(PeerTools.Name)];
            return _runner.Alternate(modes,
                mode => mode is Raw or Harness
                    ? Timed(_faults, started => ProduceOnItsThread(mode, _count, 0, _duration, () => { }, started), _cancellationToken)
                    : PeerProduce(mode, _peerCount, 0),
                runs => _log($"{_cell.Name}: produce round {runs[Raw].Count}: {string.Join(", ", runs.Select(r => $"{r.Key} {r.Value[^1].MessagesPerSecond:N0}/s"))}"), _cancellationToken);
        }

        /// <summary>
        /// What both consumers read in the consumer runs: one more harness run, not timed and never under the
        /// fault, written now so that nothing follows it until the consumer runs. (A consumer that reaches the
        /// end of one partition first would otherwise go on reading what came next there.)
        /// </summary>
        private async Task<(IReadOnlyDictionary<int, long> Start, IReadOnlyDictionary<int, long> End)> WriteConsumerRangeAsync()
        {
            var start = await Task.Run(Ends, _cancellationToken);
            await ProduceOnItsThread(Harness, _count, 0, _duration, () => { }, () => { });
            return (start, await Task.Run(Ends, _cancellationToken));
        }

        private async Task<Dictionary<string, List<RunMetrics>>> ConsumeRoundsAsync(IReadOnlyDictionary<int, long> start, IReadOnlyDictionary<int, long> end, long rangeRecords)
        {
            RunMetrics ConsumeRange(string mode, Action started)
            {
                var before = ProcessCounters.Read();
                using var consumer = Consumer(mode, start, timeRecords: false);
                started();
                var drained = consumer.Drain(end, _drainIdle, _cancellationToken);
                return Metrics(mode, drained.Records, _cell.MessageSize, drained.Seconds, 0, before, null, 0) with { ReadToEnd = drained.Reached };
            }

            var peerBaselines = await PeerBaselinesAsync();
            string[] modes = _peers is null ? [Raw, Harness] : [Raw, Harness, .. PeerTools.Consumers.Select(PeerTools.Name)];
            return await _runner.Alternate(modes,
                mode => mode is Raw or Harness
                    ? Timed(_faults, started => OnItsThread(() => ConsumeRange(mode, started)), _cancellationToken)
                    : PeerRun(PeerTools.Parse(mode), ConsumerScript(PeerTools.Parse(mode), rangeRecords), peerBaselines[mode]),
                runs => _log($"{_cell.Name}: consume round {runs[Raw].Count}: {string.Join(", ", runs.Select(r => $"{r.Key} {r.Value[^1].MessagesPerSecond:N0}/s"))}"), _cancellationToken);
        }

        /// <summary>
        /// A consumer peer reads as many records from the start of the topic, in a group of its own; its fixed cost,
        /// the JVM's start and the group's join, is what a one-record run takes, and is subtracted.
        /// </summary>
        private async Task<Dictionary<string, double>> PeerBaselinesAsync()
        {
            var baselines = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var tool in _peers is null ? [] : PeerTools.Consumers)
            {
                var once = new List<double>();
                for (var i = 0; i < PeerBaselineRuns; i++)
                {
                    var (_, output) = await _peers!.RunAsync(ConsumerScript(tool, 1), _cancellationToken);
                    once.Add(PeerOutput.Parse(tool, output).ElapsedSeconds);
                }

                baselines[PeerTools.Name(tool)] = Statistics.Median(once);
                _log($"{_cell.Name}: {PeerTools.Name(tool)} reads one record in {baselines[PeerTools.Name(tool)]:0.00} s (JVM start and group join; subtracted from its runs)");
            }

            return baselines;
        }

        /// <summary>
        /// A paced run: its client's consumer joins first and reads the producer's warm-up records, so that
        /// joining the group is not timed; it then reads alongside, and drains what was acknowledged.
        /// </summary>
        private async Task<RunMetrics> PacedRun(string mode, long pacedCount, double rate, Action started)
        {
            var consumer = Consumer(mode, await Task.Run(Ends, _cancellationToken), timeRecords: true);
            RunMetrics metrics;
            DrainResult drained;
            try
            {
                metrics = await ProduceOnItsThread(mode, pacedCount, rate, null, () => AwaitReady(consumer, mode, Ends(), _cancellationToken), started);
                drained = await Task.Run(() => consumer.Drain(Ends(), _drainIdle, _cancellationToken), _cancellationToken);
            }
            finally
            {
                consumer.Dispose();
            }

            return metrics with { EndToEnd = consumer.EndToEnd(), ReadToEnd = drained.Reached };
        }

        /// <summary>
        /// The rate the paced runs take their shares of: the raw producer unthrottled with its consumer reading
        /// alongside, as in a paced run, over the time until that consumer has read every message. The producer
        /// alone is faster where the consumer shares its cores: at 80 % of its rate, both clients' paced runs
        /// fell behind their schedules here, and their p99s were seconds of backlog, not latency.
        /// Not under the fault: the shares are of what the whole cluster sustains.
        /// </summary>
        private async Task<(List<RunMetrics> Runs, double MaxRate)> SustainedAsync(List<RunMetrics> raw)
        {
            var aloneRate = Statistics.Median(raw.Select(r => r.MessagesPerSecond));
            var sustainedCount = Math.Max(100, (long)(aloneRate * _runner.RunDuration.TotalSeconds));
            var sustained = new List<RunMetrics>();
            for (var i = 0; i < _runner.Alternations; i++)
            {
                sustained.Add(await SustainedRun(sustainedCount));
            }

            var maxRate = Statistics.Median(sustained.Select(r => r.MessagesPerSecond));
            _log($"{_cell.Name}: sustained with its consumer alongside, the raw client {maxRate:N0}/s (alone {aloneRate:N0}/s)");
            return (sustained, maxRate);
        }

        private async Task<RunMetrics> SustainedRun(long sustainedCount)
        {
            using var consumer = Consumer(Raw, await Task.Run(Ends, _cancellationToken), timeRecords: false);
            var (origin, target) = (0L, 0L);
            var clockStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var producing = ProduceOnItsThread(Raw, sustainedCount, 0, null, () => AwaitReady(consumer, Raw, Ends(), _cancellationToken), () =>
            {
                (origin, target) = (TimeProvider.System.GetTimestamp(), consumer.Records + sustainedCount);
                clockStarted.TrySetResult();
            });
            if (await Task.WhenAny(clockStarted.Task, producing) == producing)
            {
                await producing; // it failed before its clock started
            }

            // Watched while the producer sends, so that the time ends with the last record read.
            var read = await Task.Run(() => consumer.DrainRecords(target, _drainIdle, _cancellationToken), _cancellationToken);
            var seconds = TimeProvider.System.GetElapsedTime(origin).TotalSeconds - (read.Reached ? 0 : _drainIdle.TotalSeconds);
            var records = Math.Min(sustainedCount, consumer.Records - (target - sustainedCount));
            var produced = await producing;
            return produced with
            {
                Seconds = seconds,
                MessagesPerSecond = records / seconds,
                PayloadMegabytesPerSecond = records * (double)_cell.MessageSize / seconds / 1e6,
                WireMegabytesPerSecond = produced.WireMegabytesPerSecond * produced.Seconds / seconds,
                ReadToEnd = read.Reached,
            };
        }

        private async Task<List<PacedResult>> PacedAsync(double maxRate)
        {
            // Not recorded and never under the fault: the first paced run of each client, with its consumer
            // alongside, JIT-compiled code the warm-up round never ran, and was the slowest of its share.
            foreach (var mode in new[] { Raw, Harness })
            {
                var rate = maxRate * _runner.PacedShares[0];
                await PacedRun(mode, Math.Max(100, (long)(rate * PacedWarmUp.TotalSeconds)), rate, () => { });
            }

            var paced = new List<PacedResult>();
            foreach (var share in _runner.PacedShares)
            {
                var result = await PacedShare(share, maxRate);

                // A point whose rounds all put the harness's p99 above the limit is measured again before it is called
                // a miss: on a machine this noisy, one such run in a dozen points comes by chance (docs/bench.md).
                if (_cell.Fault is null && result.MissCandidates().Count > 0)
                {
                    _log($"{_cell.Name}: at {share:P0} every round put the harness's {string.Join(" and ", result.MissCandidates())} p99 above raw × {P99Limit}; measuring it again");
                    result = result with { Reproduction = await PacedShare(share, maxRate) };
                }

                paced.Add(result);
            }

            return paced;
        }

        /// <summary>
        /// One share of the sustained rate, in rounds; the producer perf test paces itself at the same rate and
        /// reports produce-to-ack percentiles, and no peer reports end-to-end latency.
        /// </summary>
        private async Task<PacedResult> PacedShare(double share, double maxRate)
        {
            string[] modes = _peers is null ? [Raw, Harness] : [Raw, Harness, PeerTools.Name(PeerTool.ProducerPerfTest)];
            var rate = maxRate * share;
            var pacedCount = Math.Max(100, (long)(rate * _runner.PacedDuration.TotalSeconds));
            var runs = await _runner.Alternate(modes,
                mode => mode is Raw or Harness
                    ? Timed(_faults, started => PacedRun(mode, pacedCount, rate, started), _cancellationToken)
                    : PeerProduce(mode, pacedCount, rate),
                _ => { }, _cancellationToken);
            var result = new PacedResult(share, rate, runs[Raw], runs[Harness])
            {
                PerfTest = runs.GetValueOrDefault(PeerTools.Name(PeerTool.ProducerPerfTest)) ?? [],
            };
            _log($"{_cell.Name}: {share:P0} of max ({rate:N0}/s): median p99 produce-to-ack raw {result.RawP99:N0} µs, harness {result.HarnessP99:N0} µs; " +
                $"end-to-end raw {result.RawEndToEndP99:N0} µs, harness {result.HarnessEndToEndP99:N0} µs" +
                (result.PerfTest.Count > 0 ? $"; producer-perf-test produce-to-ack {PacedResult.MedianP99(result.PerfTest, r => r.ProduceToAck):N0} µs" : ""));
            return result;
        }
    }
}
