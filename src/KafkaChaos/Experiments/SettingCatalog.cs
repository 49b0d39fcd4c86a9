using System.Globalization;
using KafkaChaos.Cluster;
using KafkaChaos.Workload;

namespace KafkaChaos.Experiments;

/// <summary>
/// The flat settings an experiment is made of (<c>topic.replication_factor</c>, <c>producer.acks</c>,
/// <c>broker.unclean.leader.election.enable</c>, ...): what the YAML sections flatten to, what matrix
/// axes and expectation conditions name, and how each becomes part of an <see cref="ExperimentSpec"/>.
/// </summary>
/// <remarks>
/// <c>producer.*</c> and <c>broker.*</c> pass any key through, in librdkafka's and Kafka's own names.
/// Values stay strings until <see cref="BuildSpec"/>, which checks each against its type and range and
/// names the file position, key and value when one is wrong.
/// </remarks>
public static class SettingCatalog
{
    private static readonly string[] KeyNames = ["none", "sequence", "fixed", "random"];

    /// <summary>Fixed keys by section; their descriptions appear in errors and docs.</summary>
    public static IReadOnlyDictionary<string, string> Fixed { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["cluster.brokers"] = $"brokers, {ClusterSpec.MinBrokers}..{ClusterSpec.MaxBrokers}",
        [Settings.ClusterSettings.Mode.Key] = Settings.ClusterSettings.Mode.Doc,
        [Settings.ClusterSettings.Controllers.Key] = Settings.ClusterSettings.Controllers.Doc,
        ["topic.partitions"] = "partitions, 1..1000",
        ["topic.replication_factor"] = "replication factor, 1..brokers",
        ["topic.min_insync_replicas"] = "min.insync.replicas, 1..replication factor",
        ["workload.messages"] = "messages to send, 1..10^9",
        ["workload.duration"] = "how long to send at the rate, instead of messages, such as 60s (1s..24h; needs a rate above 0)",
        ["workload.producers"] = $"producer instances, 1..{ExperimentSpecValidator.MaxClients}; each has its own identity and sequences, and sends its share of the messages and rate",
        ["workload.rate"] = "messages per second, 0 (unthrottled) up to 10^7",
        ["workload.message_size"] = "bytes per message, 44..1048576",
        ["workload.keys"] = "none, sequence, fixed or random",
        ["workload.resend_on_restart"] = "none (a restarted producer sends only the rest of the schedule) or unknown (it first resends the killed one's unknown sends, under their sequences)",
        ["consumer.instances"] = $"consumer instances, 1..{ExperimentSpecValidator.MaxClients}",
        ["consumer.commit"] = string.Join(", ", CommitStrategyNames.All),
        ["consumer.batch"] = $"records per poll batch, 1..{ExperimentSpecValidator.MaxConsumerBatch}",
        ["consumer.processing_ms"] = "processing time per record in ms, 0..60000",
        ["consumer.dedup"] = "true or false",
        ["consumer.dedup_mark"] = "atomic (with the processing, in one step) or after-processing (a separate write)",
        ["consumer.processing"] = "inline (on the poll thread) or worker-queue (handed to a worker thread, done at hand-over)",
        ["consumer.auto_offset_reset"] = "earliest or latest: where a partition without a committed offset starts",
        ["consumer.auto_commit_interval_ms"] = "auto-commit interval in ms, 1..600000",
        ["nemesis.quiet_period"] = "a duration such as 3s, 0..10m",
        ["nemesis.drain_timeout"] = "a duration such as 30s, 1s..1h",
    };

    public static bool IsKnown(string key) =>
        Fixed.ContainsKey(key) || (key.StartsWith("producer.", StringComparison.Ordinal) && key.Length > 9)
        || (key.StartsWith("broker.", StringComparison.Ordinal) && key.Length > 7);

    /// <summary>Builds the spec for one cell from its flat settings (key → value and where it came from).</summary>
    public static ExperimentSpec BuildSpec(string name, IReadOnlyDictionary<string, (string Value, string Where)> settings,
        IReadOnlyList<Faults.FaultSpec> faults, int? seed)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var defaults = ExperimentSpec.Default;
        var read = new FlatSettings(settings);
        var rate = defaults.RatePerSecond;
        if (settings.TryGetValue("workload.rate", out var rateSetting))
        {
            rate = double.TryParse(rateSetting.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && double.IsFinite(r) && r >= 0 && r <= Settings.SettingRange.MaxRate
                ? r
                : throw Bad(rateSetting, "workload.rate", Fixed["workload.rate"]);
        }

        var brokers = read.Int("cluster.brokers", defaults.Brokers, int.MinValue, int.MaxValue);
        var replication = read.Int("topic.replication_factor", Math.Min(defaults.ReplicationFactor, brokers), int.MinValue, int.MaxValue);
        var (userProducer, broker) = PassedThrough(settings);
        return defaults with
        {
            Name = name,
            Brokers = brokers,
            Mode = Settings.ClusterSettings.Mode.Read(settings),
            Controllers = Settings.ClusterSettings.Controllers.Read(settings),
            Partitions = read.Int("topic.partitions", defaults.Partitions, (int)Settings.SettingRange.Partitions.Min, (int)Settings.SettingRange.Partitions.Max),
            ReplicationFactor = replication,
            MinInsyncReplicas = read.Int("topic.min_insync_replicas", Math.Min(defaults.MinInsyncReplicas, replication), int.MinValue, int.MaxValue),
            BrokerConfig = broker,
            Messages = Messages(read, settings, rate),
            Producers = read.Int("workload.producers", defaults.Producers, int.MinValue, int.MaxValue),
            RatePerSecond = rate,
            MessageSize = read.Int("workload.message_size", defaults.MessageSize, (int)Settings.SettingRange.MessageSize.Min, (int)Settings.SettingRange.MessageSize.Max),
            Keys = Enum.Parse<KeyStrategy>(read.Choice("workload.keys", "none", KeyNames), ignoreCase: true),
            ResendUnknownOnRestart = read.Choice("workload.resend_on_restart", "none", ["none", "unknown"]) == "unknown",
            Producer = ProducerSettings.Merge(defaults.Producer, userProducer),
            Consumer = Consumer(read),
            Faults = faults,
            Seed = seed,
            QuietPeriod = read.Duration("nemesis.quiet_period", defaults.QuietPeriod, TimeSpan.Zero, TimeSpan.FromMinutes(10)),
            DrainIdleTimeout = read.Duration("nemesis.drain_timeout", defaults.DrainIdleTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)),
        };
    }

    /// <summary>The message count: workload.messages, or workload.duration at the rate, never both.</summary>
    private static long Messages(FlatSettings read, IReadOnlyDictionary<string, (string Value, string Where)> settings, double rate)
    {
        var messages = read.Long("workload.messages", ExperimentSpec.Default.Messages, Settings.SettingRange.Messages.Min, Settings.SettingRange.Messages.Max);
        if (!settings.TryGetValue("workload.duration", out var durationSetting))
        {
            return messages;
        }

        if (settings.TryGetValue("workload.messages", out var both))
        {
            throw Bad(both, "workload.messages", "no message count alongside workload.duration: give one or the other");
        }

        var duration = read.Duration("workload.duration", TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromHours(24));
        return rate > 0 && rate * duration.TotalSeconds <= 1e9
            ? (long)Math.Ceiling(rate * duration.TotalSeconds)
            : throw Bad(durationSetting, "workload.duration", "a rate above 0 (workload.rate) to send at, and at most 10^9 messages in all");
    }

    /// <summary>The producer.* and broker.* settings, which go to the clients and server.properties as they are.</summary>
    private static (List<KeyValuePair<string, string>> Producer, Dictionary<string, string> Broker) PassedThrough(IReadOnlyDictionary<string, (string Value, string Where)> settings)
    {
        var producer = new List<KeyValuePair<string, string>>();
        var broker = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, setting) in settings)
        {
            // Passed-through keys end up in config files and client settings: one line, plain names only.
            if ((key.StartsWith("producer.", StringComparison.Ordinal) || key.StartsWith("broker.", StringComparison.Ordinal))
                && !IsPassThrough(key, setting.Value))
            {
                throw Bad(setting, key, PassThroughForm);
            }

            if (key.StartsWith("producer.", StringComparison.Ordinal))
            {
                producer.Add(new(key[9..], setting.Value));
            }
            else if (key.StartsWith("broker.", StringComparison.Ordinal))
            {
                broker[key[7..]] = setting.Value;
            }
        }

        return (producer, broker);
    }

    private static ConsumerSpec Consumer(FlatSettings read)
    {
        var commit = read.Choice("consumer.commit", "auto-commit", [.. CommitStrategyNames.All]);
        return new ConsumerSpec
        {
            Consumers = read.Int("consumer.instances", 1, int.MinValue, int.MaxValue),
            Commit = CommitStrategyNames.Parse(commit).Strategy,
            CommitAsync = CommitStrategyNames.Parse(commit).CommitAsync,
            BatchSize = read.Int("consumer.batch", 1, int.MinValue, int.MaxValue),
            ProcessingTime = TimeSpan.FromMilliseconds(read.Int("consumer.processing_ms", 0, (int)Settings.SettingRange.ProcessingMs.Min, (int)Settings.SettingRange.ProcessingMs.Max)),
            DedupStore = read.Choice("consumer.dedup", "false", ["true", "false"]) == "true",
            DedupMarkAfterProcessing = read.Choice("consumer.dedup_mark", "atomic", ["atomic", "after-processing"]) == "after-processing",
            AutoCommitIntervalMs = read.Int("consumer.auto_commit_interval_ms", 1000, (int)Settings.SettingRange.AutoCommitIntervalMs.Min, (int)Settings.SettingRange.AutoCommitIntervalMs.Max),
            WorkerQueue = read.Choice("consumer.processing", "inline", ["inline", "worker-queue"]) == "worker-queue",
            AutoOffsetReset = read.Choice("consumer.auto_offset_reset", "earliest", ["earliest", "latest"]),
        };
    }

    /// <summary>A cell's flat settings read as typed values, each unset one at its default and each bad one refused with its place.</summary>
    private sealed class FlatSettings(IReadOnlyDictionary<string, (string Value, string Where)> settings)
    {
        public int Int(string key, int fallback, int min, int max) => (int)Long(key, fallback, min, max);

        public long Long(string key, long fallback, long min, long max)
        {
            if (!settings.TryGetValue(key, out var setting))
            {
                return fallback;
            }

            return long.TryParse(setting.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? value
                : throw Bad(setting, key, min == int.MinValue && max == int.MaxValue ? "a whole number" : $"a whole number {min}..{max}");
        }

        public string Choice(string key, string fallback, string[] allowed)
        {
            if (!settings.TryGetValue(key, out var setting))
            {
                return fallback;
            }

            return allowed.Contains(setting.Value) ? setting.Value : throw Bad(setting, key, string.Join(", ", allowed));
        }

        public TimeSpan Duration(string key, TimeSpan fallback, TimeSpan min, TimeSpan max)
        {
            if (!settings.TryGetValue(key, out var setting))
            {
                return fallback;
            }

            return TryParseDuration(setting.Value, out var value) && value >= min && value <= max
                ? value
                : throw Bad(setting, key, $"a duration such as 500ms, 5s or 2m, {min.TotalSeconds:0.###}..{max.TotalSeconds:0.###} s");
        }
    }

    /// <summary>What a passed-through producer or broker setting must look like, as errors say it.</summary>
    public const string PassThroughForm = "a key of letters, digits, '.', '_' and '-', and a value on one line of at most 1000 characters";

    /// <summary>
    /// Whether a passed-through setting can be written into a config file or a client's settings as it is: a
    /// plain key and a one-line value of at most 1000 characters. Files and flags are held to it alike.
    /// </summary>
    public static bool IsPassThrough(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return ClusterSpec.IsPlainKey(key) && !value.Any(char.IsControl) && value.Length <= 1000;
    }

    /// <summary>"500ms", "5s", "2m", "1h", or a plain number of seconds.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        var (number, scale) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : text.EndsWith('h') ? (text[..^1], 3600.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value)
            || value * scale > TimeSpan.FromDays(1).TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(value * scale);
        return true;
    }

    private static ExperimentConfigException Bad((string Value, string Where) setting, string key, string expected) =>
        new($"{setting.Where}: key '{key}' has value '{setting.Value}'; expected {expected}");
}
