using KafkaChaos.Cluster;
using KafkaChaos.Journal;

namespace KafkaChaos.Faults;

/// <summary>
/// Runs an experiment's faults on their schedule while the workload runs: each application is applied,
/// verified, held for its duration and healed, concurrently with the others, so faults may overlap.
/// At the end, <see cref="HealAllAsync"/> undoes anything left and waits for a whole cluster.
/// </summary>
/// <remarks>
/// The schedule is drawn once, up front, from the seed, and so are random targets (in schedule
/// order): the same experiment file and seed give the same faults on the same brokers and partitions.
/// </remarks>
public sealed class Nemesis
{
    private readonly Random _targets;
    private readonly Func<FaultSpec, Random, Fault> _create;
    private readonly ClusterAccess? _cluster;
    private readonly string _topic;
    private readonly JournalWriter _journal;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;

    public Nemesis(IReadOnlyList<FaultSpec> faults, int seed, Func<FaultSpec, Random, Fault> create, ClusterAccess? cluster, string topic,
        JournalWriter journal, TimeProvider time, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var schedule = new Random(seed);
        Plan = faults.SelectMany(f => f.When.Times(schedule).Select(at => (At: at, Spec: f))).OrderBy(p => p.At).ToArray();
        _targets = new Random(seed ^ 0x5EED);
        _create = create;
        _cluster = cluster;
        _topic = topic;
        _journal = journal;
        _time = time;
        _log = log;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Fault, string> _active = new();

    /// <summary>Faults applied and not yet healed, for progress lines.</summary>
    public IReadOnlyCollection<string> Active => [.. _active.Values];

    /// <summary>When <see cref="RunAsync"/> started the schedule's clock (Unix ms): the workload's start, which every offset counts from.</summary>
    public long StartedMs { get; private set; }

    private readonly List<(TimeSpan At, FaultSpec Spec, Fault Fault)> _applied = [];

    /// <summary>Each application made so far, with its planned offset: what a replay needs of it.</summary>
    public IReadOnlyList<(TimeSpan At, FaultSpec Spec, Fault Fault)> Applied
    {
        get
        {
            lock (_applied)
            {
                return [.. _applied];
            }
        }
    }

    /// <summary>Every application, in time order, as offsets from the start of the workload.</summary>
    public IReadOnlyList<(TimeSpan At, FaultSpec Spec)> Plan { get; }

    /// <summary>
    /// Applies the plan, timed from now. An application due after <paramref name="workloadRunning"/>
    /// turned false is journalled as not applied. Returns when every application has been healed.
    /// </summary>
    public async Task RunAsync(Func<bool> workloadRunning, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workloadRunning);
        var start = _time.GetUtcNow();
        StartedMs = start.ToUnixTimeMilliseconds();
        var running = new List<Task>();
        try
        {
            foreach (var (at, spec) in Plan)
            {
                var wait = start + at - _time.GetUtcNow();
                while (wait > TimeSpan.Zero && workloadRunning())
                {
                    // A fault that failed ends the run now, not when the schedule is done (34 minutes later, once).
                    if (running.FirstOrDefault(t => t.IsFaulted) is { } failed)
                    {
                        await failed;
                    }

                    await Task.Delay(wait < TimeSpan.FromMilliseconds(100) ? wait : TimeSpan.FromMilliseconds(100), _time, cancellationToken);
                    wait = start + at - _time.GetUtcNow();
                }

                if (!workloadRunning())
                {
                    _journal.WriteFault(new FaultEvent(spec.Kind, FaultPhase.NotApplied, "schedule",
                        _time.Millis(), $"due at {at.TotalSeconds:0.###} s, but the workload had already finished"));
                    _log($"fault {spec.Kind}: not applied, due at {at.TotalSeconds:0.###} s after the workload finished");
                    continue;
                }

                var fault = _create(spec, _targets);
                lock (_applied)
                {
                    _applied.Add((at, spec, fault));
                }

                running.Add(ApplyHoldHealAsync(fault, spec, cancellationToken));
            }
        }
        finally
        {
            await Task.WhenAll(running);
        }
    }

    /// <summary>
    /// Undoes whatever any fault may have left (paused or stopped brokers, iptables rules, netem) and
    /// waits until every broker is registered and every replica is in sync.
    /// </summary>
    public async Task HealAllAsync(CancellationToken cancellationToken)
    {
        if (_cluster is null)
        {
            _journal.WriteFault(new FaultEvent("heal-all", FaultPhase.End, "clients", _time.Millis(), "an external cluster: only client faults were applied, nothing to undo"));
            return;
        }

        await FaultUndo.EverythingAsync(_cluster, cancellationToken);
        var recovery = await ClusterRecovery.WaitAsync(_cluster, _topic, _time, _log, cancellationToken);
        _journal.WriteFault(new FaultEvent("heal-all", FaultPhase.End, "cluster", _time.Millis(), $"final heal{recovery.DescribeRepairs()}; {recovery.Topology}"));
        _log($"heal-all: {recovery.Topology}");
    }

    private async Task ApplyHoldHealAsync(Fault fault, FaultSpec spec, CancellationToken cancellationToken)
    {
        _active[fault] = spec.Kind;
        var started = _time.GetTimestamp();
        TimeSpan? verified = null;
        try
        {
            await fault.ApplyAsync(cancellationToken);
            verified = _time.GetElapsedTime(started);
            if (FaultKinds.HasDuration(spec.Kind))
            {
                await Task.Delay(spec.Duration, _time, cancellationToken);
            }
        }
        finally
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                await fault.HealAsync(cancellationToken);
                if (fault.Verified && verified is { } v && FaultKinds.HasDuration(spec.Kind))
                {
                    // The duration is held from the verification: say how long the fault was really in effect.
                    _log($"fault {spec.Kind}: verified after {v.TotalSeconds:0.0} s, held {spec.Duration.TotalSeconds:0.###} s, "
                        + $"healed after {_time.GetElapsedTime(started).TotalSeconds:0.0} s in all");
                }
            }

            _active.TryRemove(fault, out _);
        }
    }
}
