using System.Globalization;
using KafkaChaos.Journal;

namespace KafkaChaos.Workload;

/// <summary>
/// The verifying consumer group of a run: its live instances, restarts (kill one at a crash point, start
/// a new instance with a new id in the same group), the dedup store they share, and the final drain.
/// </summary>
public sealed class ConsumerGroup : IRestartableConsumers, IDisposable
{
    private readonly Guid _runId;
    private readonly string _topic;
    private readonly ConsumerSpec _spec;
    private readonly Dictionary<string, string> _config;
    private readonly JournalWriter _journal;
    private readonly DedupStore? _dedup;
    private readonly TimeProvider _time;
    private readonly Action<string> _clientLog;
    private readonly List<VerifyingConsumer> _live = [];
    /// <summary>The crashed instances' latencies; the instances themselves are let go, so that an hour of restarts holds no more than one.</summary>
    private readonly LatencyRecorder _deadEndToEnd = new();
    private readonly Lock _gate = new();

    /// <summary>
    /// One restart at a time: two overlapping restarts would both pick the same live instance, and the
    /// second crash point would replace the first before it was reached.
    /// </summary>
    private readonly SemaphoreSlim _restarting = new(1, 1);
    private int _nextId;

    public ConsumerGroup(Guid runId, string topic, ConsumerSpec spec, IReadOnlyDictionary<string, string> clientConfig,
        string runDirectory, JournalWriter journal, TimeProvider time, Action<string> clientLog)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _runId = runId;
        _topic = topic;
        _spec = spec;
        _journal = journal;
        _time = time;
        _clientLog = clientLog;
        _config = new Dictionary<string, string>(clientConfig, StringComparer.Ordinal);
        foreach (var (key, value) in CommitSettings(spec))
        {
            _config[key] = value;
        }

        if (spec.DedupStore)
        {
            _dedup = new DedupStore(Path.Combine(runDirectory, DedupStore.FileName));
        }
    }

    public GroupProgress Progress { get; } = new();

    /// <summary>Where the instances get their clients: librdkafka's unless a test gives its own.</summary>
    public IConsumerClientFactory Clients { get; init; } = LibrdkafkaConsumerFactory.Instance;

    /// <summary>The librdkafka settings a commit strategy needs.</summary>
    public static IReadOnlyDictionary<string, string> CommitSettings(ConsumerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var interval = spec.AutoCommitIntervalMs.ToString(CultureInfo.InvariantCulture);
        return spec.Commit switch
        {
            CommitStrategy.AutoCommit => new Dictionary<string, string>
            {
                ["enable.auto.commit"] = "true",
                ["enable.auto.offset.store"] = "true",
                ["auto.commit.interval.ms"] = interval,
            },
            CommitStrategy.ProcessThenCommit when spec.CommitAsync => new Dictionary<string, string>
            {
                ["enable.auto.commit"] = "true",
                ["enable.auto.offset.store"] = "false",
                ["auto.commit.interval.ms"] = interval,
            },
            _ => new Dictionary<string, string>
            {
                ["enable.auto.commit"] = "false",
                ["enable.auto.offset.store"] = "false",
            },
        };
    }

    public void Start()
    {
        Progress.Started(_time.Millis());
        for (var i = 0; i < _spec.Consumers; i++)
        {
            StartInstance();
        }
    }

    /// <summary>
    /// Kills a live instance at <paramref name="point"/> and starts a new one in the group. Gives up when
    /// the instance reaches no such point within <paramref name="timeout"/> (no records arriving).
    /// </summary>
    /// <returns>What the crash cut short, or null when it could not be applied.</returns>
    public async Task<string?> RestartAsync(CrashPoint point, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _restarting.WaitAsync(cancellationToken);
        try
        {
            VerifyingConsumer victim;
            lock (_gate)
            {
                victim = _live[0];
            }

            var crash = victim.CrashAsync(point);
            if (await Task.WhenAny(crash, Task.Delay(timeout, _time, cancellationToken)) != crash)
            {
                cancellationToken.ThrowIfCancellationRequested();
                victim.CancelCrash();
                return null;
            }

            lock (_gate)
            {
                _live.Remove(victim);
            }

            victim.Dispose();
            _deadEndToEnd.Add(victim.EndToEnd);
            NativeHeap.Trim();

            // A restarted process would find only what the store wrote to its file.
            _dedup?.ReloadFromDisk();
            var replacement = StartInstance();
            return $"{await crash}; {replacement.Name} started in its place";
        }
        finally
        {
            _restarting.Release();
        }
    }

    /// <summary>How many partitions the live instances hold between them now.</summary>
    public int AssignedPartitions
    {
        get
        {
            lock (_gate)
            {
                return _live.Sum(c => c.AssignedPartitions);
            }
        }
    }

    public IReadOnlyDictionary<int, long> EndOffsets(int partitions, CancellationToken cancellationToken) => AnyLive().EndOffsets(partitions, cancellationToken);

    /// <summary>
    /// Waits until every partition has been read up to <paramref name="endOffsets"/> (or the group has
    /// committed past them, when records were skipped for good), or until nothing has arrived for
    /// <paramref name="idleTimeout"/>.
    /// </summary>
    /// <returns>True when every end offset was reached.</returns>
    public async Task<bool> DrainAsync(IReadOnlyDictionary<int, long> endOffsets, TimeSpan idleTimeout, CancellationToken cancellationToken)
    {
        var nextCommitCheck = 0L;
        while (true)
        {
            ThrowIfFailed();
            var behind = Progress.Behind(endOffsets);
            if (behind.Count == 0)
            {
                return true;
            }

            var now = _time.Millis();
            if (now >= nextCommitCheck)
            {
                nextCommitCheck = now + 1000;
                var committed = await Task.Run(() => AnyLive().CommittedOffsets(endOffsets.Count), cancellationToken);
                if (behind.All(p => committed.GetValueOrDefault(p, -1) >= endOffsets[p]))
                {
                    return true;
                }
            }

            if (now - Progress.LastRecordMillis > idleTimeout.TotalMilliseconds)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken);
        }
    }

    /// <summary>End-to-end latency over every instance; call after <see cref="Dispose"/>.</summary>
    public LatencyRecorder EndToEnd()
    {
        var all = new LatencyRecorder();
        all.Add(_deadEndToEnd);
        foreach (var consumer in _live)
        {
            all.Add(consumer.EndToEnd);
        }

        return all;
    }

    public void Dispose()
    {
        foreach (var consumer in _live)
        {
            consumer.Dispose();
        }

        _dedup?.Dispose();
        _restarting.Dispose();
    }

    private VerifyingConsumer StartInstance()
    {
        var id = _nextId++;
        var config = new Dictionary<string, string>(_config, StringComparer.Ordinal) { ["client.id"] = "kafka-chaos-" + ClientNames.Consumer(id) };
        var consumer = new VerifyingConsumer(id, _runId, _topic, _spec, config, _journal, _dedup, Progress.Join(), _time, _clientLog, Clients);
        lock (_gate)
        {
            _live.Add(consumer);
        }

        consumer.Start();
        return consumer;
    }

    private VerifyingConsumer AnyLive()
    {
        lock (_gate)
        {
            return _live.Count > 0 ? _live[0] : throw new InvalidOperationException("the consumer group has no live instance");
        }
    }

    private void ThrowIfFailed()
    {
        lock (_gate)
        {
            if (_live.FirstOrDefault(c => c.Failure is not null) is { } failed)
            {
                throw new InvalidOperationException($"consumer {failed.Name} failed: {failed.Failure!.Message}", failed.Failure);
            }
        }
    }
}
