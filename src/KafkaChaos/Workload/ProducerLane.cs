using KafkaChaos.Journal;

namespace KafkaChaos.Workload;

/// <summary>
/// One producer's share of the run: an open-loop schedule of <c>total</c> messages, sent by a succession
/// of producer identities. restart-producer kills the current identity (its unreported sends become
/// unknown) and the next one, with a new id from <c>nextIdentity</c> and sequences from 0, sends the
/// rest on the same schedule. A restart that resends first has the next identity send those unknown
/// messages again under their own envelopes, as an application that keeps what it sent would.
/// </summary>
public sealed class ProducerLane(
    Guid runId, string topic, long total, int messageSize, MessageKeys keys, double ratePerSecond,
    IReadOnlyDictionary<string, string> config, JournalWriter journal, TimeProvider time, Action<string> clientLog, Func<int> nextIdentity) : IRestartableProducer, IDisposable
{
    private readonly Lock _gate = new();
    /// <summary>Killed identities' latencies; the identities themselves are let go, so that an hour of restarts holds no more than one.</summary>
    private readonly LatencyRecorder _retiredProduceToAck = new();
    private SequencedProducer? _current;
    private CancellationTokenSource? _restart;
    private TaskCompletionSource<string>? _restarted;
    private long _retiredSent;
    private long _retiredAcknowledged;
    private long _retiredNotAcknowledged;
    private long _killedUnknown;
    private List<UnknownSend>? _toResend;

    /// <summary>Messages handed to the client so far, over every identity.</summary>
    public long Sent
    {
        get
        {
            lock (_gate)
            {
                return _retiredSent + (_current?.Sent ?? 0);
            }
        }
    }

    /// <summary>Sends acknowledged, and sends reported failed or unknown, so far over every identity (progress only).</summary>
    public (long Acknowledged, long NotAcknowledged) Outcomes
    {
        get
        {
            lock (_gate)
            {
                return (_retiredAcknowledged + (_current?.Acknowledged ?? 0), _retiredNotAcknowledged + (_current?.FailedDeliveries ?? 0));
            }
        }
    }

    public long Total => total;

    /// <summary>After a restart, the next identity first resends the unknown sends of the ones before it.</summary>
    public bool ResendUnknownOnRestart { get; set; }

    /// <summary>Sends the whole schedule; returns early when <paramref name="cancellationToken"/> fires.</summary>
    public void Run(CancellationToken cancellationToken)
    {
        var scheduleStart = time.Micros();
        while (!cancellationToken.IsCancellationRequested)
        {
            var remaining = total - Sent;
            var resends = _toResend;
            _toResend = null;
            if (remaining <= 0 && resends is not { Count: > 0 })
            {
                _restarted?.TrySetResult("the schedule is complete; no identity takes over");
                return;
            }

            var id = nextIdentity();
            var producer = new SequencedProducer(id, runId, topic, remaining, messageSize, keys,
                new Dictionary<string, string>(config, StringComparer.Ordinal) { ["client.id"] = "kafka-chaos-" + ClientNames.Producer(id) },
                journal, time, clientLog,
                statistics: json => clientLog($"{ClientNames.Producer(id)} statistics {json}"));
            using var restart = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            lock (_gate)
            {
                _current = producer;
                _restart = restart;
            }

            _restarted?.TrySetResult(resends is { Count: > 0 }
                ? $"{producer.Name} resends {resends.Count} unknown, then sends the remaining {remaining}"
                : $"{producer.Name} sends the remaining {remaining}");
            if (resends is { Count: > 0 })
            {
                producer.Resend(resends, restart.Token);
            }

            producer.Run(ratePerSecond, restart.Token, scheduleStart, total - remaining);
            if (!restart.IsCancellationRequested || cancellationToken.IsCancellationRequested)
            {
                return; // finished the schedule, or the run is stopping: Finish takes it from here
            }

            // Killed: whatever the client has not reported is unknown; it may yet have been stored.
            var unknown = ResendUnknownOnRestart ? new List<UnknownSend>() : null;
            Interlocked.Exchange(ref _killedUnknown, producer.Finish(TimeSpan.Zero, unknown));
            _toResend = unknown;
            producer.Dispose();
            NativeHeap.Trim();
            lock (_gate)
            {
                _retiredSent += producer.Sent;
                _retiredAcknowledged += producer.Acknowledged;
                _retiredNotAcknowledged += producer.Sent - producer.Acknowledged; // the killed identity's unreported sends are unknown now
                _retiredProduceToAck.Add(producer.ProduceToAck);
                _current = null;
            }
        }
    }

    /// <summary>Kills the current identity; completes when the next one has started.</summary>
    /// <returns>Evidence: which identity stopped after how many sends, and which took over.</returns>
    public async Task<string> RestartAsync(CancellationToken cancellationToken)
    {
        SequencedProducer victim;
        TaskCompletionSource<string> restarted;
        lock (_gate)
        {
            victim = _current ?? throw new InvalidOperationException("no producer is running");
            restarted = _restarted = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _restart!.Cancel();
        }

        var successor = await restarted.Task.WaitAsync(cancellationToken);
        return $"{victim.Name} killed after {victim.Sent} sends ({Interlocked.Read(ref _killedUnknown)} unreported, journalled unknown); {successor}";
    }

    /// <summary>Waits for outstanding deliveries of the current identity, then journals the rest as unknown.</summary>
    public void Finish(TimeSpan timeout) => _current?.Finish(timeout);


    public LatencyRecorder ProduceToAck()
    {
        var all = new LatencyRecorder();
        all.Add(_retiredProduceToAck);
        if (_current is { } current)
        {
            all.Add(current.ProduceToAck);
        }

        return all;
    }

    public void Dispose() => _current?.Dispose();
}
