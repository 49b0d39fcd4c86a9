using KafkaChaos.Faults;
using KafkaChaos.Workload;

namespace KafkaChaos.Experiments;

/// <summary>
/// The one check of an experiment's own settings: every range and every combination that cannot work
/// whatever the broker version. The YAML loader, the flag parser and the runner all call it, so a rule
/// is stated once and a value refused in a file is refused in a flag with the same words.
/// </summary>
public static class ExperimentSpecValidator
{
    /// <summary>The first problem, or null when the spec can run: the cluster and topic first, then the producer, the faults, the consumer and the workload.</summary>
    public static SpecProblem? Problem(ExperimentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return RangeProblem(spec) ?? ClusterAndTopicProblem(spec) ?? ProducerProblem(spec) ?? FaultsProblem(spec) ?? ConsumerProblem(spec) ?? WorkloadProblem(spec);
    }

    /// <summary>Every setting against the values its descriptor takes, however the spec was made (a file, the flags, a bench file, code).</summary>
    private static SpecProblem? RangeProblem(ExperimentSpec spec) =>
        Settings.SpecSettings.All.Select(s => s.ValueProblem(spec) is { } problem ? new SpecProblem(s.Key, problem) : null).FirstOrDefault(p => p is not null);

    /// <summary>The replication the brokers can hold.</summary>
    private static SpecProblem? ClusterAndTopicProblem(ExperimentSpec spec)
    {
        if (spec.ReplicationFactor < 1 || spec.ReplicationFactor > spec.Brokers)
        {
            return new("topic.replication_factor", $"{spec.ReplicationFactor} needs between 1 and the {spec.Brokers} brokers");
        }

        if (spec.MinInsyncReplicas < 1 || spec.MinInsyncReplicas > spec.ReplicationFactor)
        {
            return new("topic.min_insync_replicas", $"{spec.MinInsyncReplicas} must be between 1 and the replication factor {spec.ReplicationFactor}");
        }

        return null;
    }

    /// <summary>The producer settings the tool reads, and librdkafka's own check of the rest.</summary>
    private static SpecProblem? ProducerProblem(ExperimentSpec spec)
    {
        if (spec.Producer.GetValueOrDefault("enable.idempotence") == "true" && AcksSetting.Of(spec.Producer) is { } acks && !AcksSetting.IsAll(acks))
        {
            return new("producer.enable.idempotence", $"enable.idempotence=true needs acks=all, not acks={acks}");
        }

        if (ProducerSettings.Problem(spec.Producer) is var (badKey, why))
        {
            // librdkafka's refusals that name no one setting are the producer section's as a whole.
            return new(badKey == "producer" ? badKey : "producer." + badKey, why);
        }

        return null;
    }

    /// <summary>Each fault against the cluster and topic it will act on.</summary>
    private static SpecProblem? FaultsProblem(ExperimentSpec spec)
    {
        for (var i = 0; i < spec.Faults.Count; i++)
        {
            if (FaultKinds.Problem(spec.Faults[i], spec.Brokers, spec.Partitions, spec.ReplicationFactor) is { } problem)
            {
                return new($"faults[{i}]", $"{spec.Faults[i].Kind}: {problem}");
            }

            if (spec.Faults[i].Kind == FaultKinds.KillLeaderAhead && LagProblem(spec.Faults[i].Lag, spec.BrokerConfig) is { } lag)
            {
                return new($"faults[{i}].lag", lag);
            }
        }

        return null;
    }

    /// <summary>The group, its commit and processing settings, and the settings that need one another.</summary>
    private static SpecProblem? ConsumerProblem(ExperimentSpec spec)
    {
        if (spec.Consumer.WorkerQueue && spec.Faults.FirstOrDefault(f => f.Kind == FaultKinds.RestartConsumer && f.CrashPoint == CrashPoint.BetweenProcessAndMark) is not null)
        {
            return new("consumer.processing", "worker-queue cannot be killed between-process-and-mark: the poll loop, where crashes happen, processes nothing itself");
        }

        if (spec.ResendUnknownOnRestart && spec.Faults.All(f => f.Kind != FaultKinds.RestartProducer))
        {
            return new("workload.resend_on_restart", "unknown needs a restart-producer fault; without a restart there is nothing to resend");
        }

        if (spec.Consumer.DedupMarkAfterProcessing && !spec.Consumer.DedupStore)
        {
            return new("consumer.dedup_mark", "after-processing needs consumer.dedup: true; without a store there is nothing to mark");
        }

        return null;
    }

    /// <summary>What is sent, and how fast.</summary>
    private static SpecProblem? WorkloadProblem(ExperimentSpec spec)
    {
        if (spec.Producer.TryGetValue("message.max.bytes", out var maxText)
            && int.TryParse(maxText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var maxBytes)
            && spec.MessageSize > maxBytes)
        {
            // The client would refuse every send before it left: a run of nothing but failures.
            return new("workload.message_size", $"{spec.MessageSize} bytes is above producer.message.max.bytes {maxBytes}, so the client would refuse every message");
        }

        return null;
    }

    /// <exception cref="ExperimentConfigException">Naming the setting and its value.</exception>
    public static void Validate(ExperimentSpec spec)
    {
        if (Problem(spec) is { } problem)
        {
            throw new ExperimentConfigException(problem.ToString());
        }
    }

    /// <summary>
    /// A follower held back longer than replica.lag.time.max.ms leaves the ISR, and the leader kill then
    /// shows an unclean election (or none) instead of the acks=1 window. 10 s is the lowest default of any
    /// version (30 s from 2.5).
    /// </summary>
    private static string? LagProblem(TimeSpan lag, IReadOnlyDictionary<string, string> brokerConfig)
    {
        const string key = "replica.lag.time.max.ms";
        var limitMs = brokerConfig.TryGetValue(key, out var text) && long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var ms) ? ms : 10_000;
        return lag.TotalMilliseconds < limitMs ? null
            : $"{lag.TotalSeconds:0.###} s must be below {key} ({limitMs} ms{(text is null ? ", the lowest default; set it under broker:" : "")}), or the followers leave the ISR before the leader dies";
    }
}
