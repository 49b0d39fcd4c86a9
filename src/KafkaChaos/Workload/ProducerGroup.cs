using KafkaChaos.Journal;

namespace KafkaChaos.Workload;

/// <summary>
/// The run's producing side: <c>workload.producers</c> lanes sending side by side, each its own
/// producer identities (p0, p1, … handed out in start order) with their own sequences, and each an
/// equal share of the messages and the rate.
/// </summary>
public sealed class ProducerGroup : IDisposable
{
    private readonly ProducerLane[] _lanes;
    private int _identities;

    public ProducerGroup(int producers, Guid runId, string topic, long total, int messageSize, MessageKeys keys, double ratePerSecond,
        IReadOnlyDictionary<string, string> config, JournalWriter journal, TimeProvider time, Action<string> clientLog)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(producers, 1);
        Total = total;
        _lanes = Enumerable.Range(0, producers)
            .Select(lane => new ProducerLane(runId, topic, total / producers + (lane < total % producers ? 1 : 0), messageSize, keys, ratePerSecond / producers,
                config, journal, time, clientLog, () => Interlocked.Increment(ref _identities) - 1))
            .ToArray();
    }

    public IReadOnlyList<ProducerLane> Lanes => _lanes;

    /// <summary>After a restart, each lane's next identity first resends the killed one's unknown sends.</summary>
    public bool ResendUnknownOnRestart
    {
        get => _lanes[0].ResendUnknownOnRestart;
        init
        {
            foreach (var lane in _lanes)
            {
                lane.ResendUnknownOnRestart = value;
            }
        }
    }

    /// <summary>Messages handed to the clients so far, over every lane.</summary>
    public long Sent => _lanes.Sum(l => l.Sent);

    /// <summary>Acknowledged, and failed or unknown, over every lane so far.</summary>
    public (long Acknowledged, long NotAcknowledged) Outcomes =>
        _lanes.Select(l => l.Outcomes).Aggregate((0L, 0L), (sum, o) => (sum.Item1 + o.Acknowledged, sum.Item2 + o.NotAcknowledged));

    public long Total { get; }

    /// <summary>Sends every lane's schedule, side by side; returns when all are done or cancelled.</summary>
    public void Run(CancellationToken cancellationToken)
    {
        // Each lane sends on a thread of its own, named for thread dumps and logs. An exception escaping such
        // a thread would end the process: each lane's is kept and rethrown here.
        var failures = new Exception?[_lanes.Length];
        var threads = _lanes.Select((lane, i) => new Thread(() =>
        {
            try
            {
                lane.Run(cancellationToken);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures[i] = e;
            }
        }) { IsBackground = true, Name = "producer-lane" }).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        if (failures.FirstOrDefault(f => f is not null) is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>Waits for every lane's outstanding deliveries at once, so the timeout is not paid per lane.</summary>
    public void Finish(TimeSpan timeout) => Parallel.ForEach(_lanes, lane => lane.Finish(timeout));

    public LatencyRecorder ProduceToAck()
    {
        var all = new LatencyRecorder();
        foreach (var lane in _lanes)
        {
            all.Add(lane.ProduceToAck());
        }

        return all;
    }

    /// <summary>
    /// Journals every send still without an outcome as unknown, then lets go of the clients. On the
    /// normal path <see cref="Finish"/> has done this already; on Ctrl-C or a failure it has not, and
    /// disposing a client first would drop its queued sends from the history without a trace.
    /// </summary>
    public void Dispose()
    {
        Finish(TimeSpan.Zero);
        foreach (var lane in _lanes)
        {
            lane.Dispose();
        }
    }
}
