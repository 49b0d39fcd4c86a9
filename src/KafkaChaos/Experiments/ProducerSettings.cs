using System.Globalization;
using Confluent.Kafka;
using KafkaChaos.Workload;

namespace KafkaChaos.Experiments;

/// <summary>
/// The one check of a producer's settings, before anything starts: the experiment file's loader, the
/// <c>run</c> flags and the runner all call it. The settings the tool itself reads are checked for
/// their range and for a second name saying the same thing differently; librdkafka checks the rest
/// when the client configuration is built here, up front, without a broker to talk to.
/// </summary>
public static class ProducerSettings
{
    /// <summary>librdkafka's default message.timeout.ms.</summary>
    public static readonly TimeSpan DefaultMessageTimeout = TimeSpan.FromMilliseconds(300_000);

    private static readonly (string Name, string Alias)[] Aliases = [("acks", AcksSetting.Alias), ("message.timeout.ms", "delivery.timeout.ms")];

    /// <summary>The names librdkafka's own errors use for settings usually given under another name.</summary>
    private static readonly Dictionary<string, string> LibrdkafkaNames = new(StringComparer.Ordinal)
    {
        ["linger.ms"] = "queue.buffering.max.ms",
        ["retries"] = "message.send.max.retries",
        ["acks"] = "request.required.acks",
        ["delivery.timeout.ms"] = "message.timeout.ms",
        ["max.in.flight"] = "max.in.flight.requests.per.connection",
        ["batch.num.messages"] = "batch.num.messages",
    };

    /// <summary>
    /// The tool's defaults with the user's settings over them. A user's setting replaces a default given
    /// under the other name of the same setting (delivery.timeout.ms over the default message.timeout.ms);
    /// two names the user gave both are left for <see cref="Problem"/> to refuse if they differ.
    /// </summary>
    public static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> defaults, IEnumerable<KeyValuePair<string, string>> user)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        var given = user.ToList();
        var merged = new Dictionary<string, string>(defaults, StringComparer.Ordinal);
        foreach (var (key, value) in given)
        {
            foreach (var (name, alias) in Aliases)
            {
                var other = key == name ? alias : key == alias ? name : null;
                if (other is not null && given.All(g => g.Key != other))
                {
                    merged.Remove(other);
                }
            }

            merged[key] = value;
        }

        return merged;
    }

    /// <summary>What is wrong with <paramref name="producer"/>: the setting's name and why, or null.</summary>
    public static (string Key, string Message)? Problem(IReadOnlyDictionary<string, string> producer)
    {
        ArgumentNullException.ThrowIfNull(producer);
        foreach (var (name, alias) in Aliases)
        {
            if (producer.TryGetValue(name, out var value) && producer.TryGetValue(alias, out var aliased) && value.Trim() != aliased.Trim())
            {
                return (alias, $"'{aliased}' says what {name} says, and differs from it ('{value}'); give one of them");
            }
        }

        if (Value(producer, "acks") is { } acks && !AcksSetting.IsValid(acks))
        {
            return ("acks", $"'{acks}' is not {AcksSetting.Expected}; a broker refuses any other count");
        }

        if (Value(producer, "message.timeout.ms") is { } timeout
            && !(int.TryParse(timeout, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms >= 0))
        {
            return ("message.timeout.ms", $"'{timeout}' is not a whole number of milliseconds 0..{int.MaxValue}");
        }

        try
        {
            // Building the client validates every setting's name and value; with no bootstrap servers it connects nowhere.
            using var client = new ProducerBuilder<byte[], byte[]>(producer.Where(p => p.Key != "bootstrap.servers"))
                .SetLogHandler((_, _) => { })
                .Build();
        }
        catch (Exception e) when (e is ArgumentException or KafkaException or InvalidOperationException)
        {
            // librdkafka names the property in quotes: 'Invalid value "x" for configuration property "linger.ms"'.
            var named = producer.Keys.Where(k => e.Message.Contains($"\"{k}\"", StringComparison.Ordinal)
                    || (LibrdkafkaNames.TryGetValue(k, out var own) && e.Message.Contains($"\"{own}\"", StringComparison.Ordinal)))
                .OrderByDescending(k => k.Length).FirstOrDefault();
            return named is null
                ? ("producer", $"librdkafka refuses a setting: {e.Message}")
                : (named, $"'{producer[named]}': librdkafka refuses it: {e.Message}");
        }

        return null;
    }

    /// <summary>How long the client may take to report a send's outcome (0: no limit, which the tool waits 5 minutes for).</summary>
    public static TimeSpan MessageTimeout(IReadOnlyDictionary<string, string> producer)
    {
        ArgumentNullException.ThrowIfNull(producer);
        return Value(producer, "message.timeout.ms") is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0
            ? TimeSpan.FromMilliseconds(ms)
            : DefaultMessageTimeout;
    }

    /// <summary>Whether <paramref name="key"/> is one of the names of <paramref name="name"/>.</summary>
    public static bool Names(string key, string name) => key == name || Aliases.Any(a => a.Name == name && a.Alias == key);

    private static string? Value(IReadOnlyDictionary<string, string> producer, string name) =>
        producer.TryGetValue(name, out var value) ? value : Aliases.Where(a => a.Name == name).Select(a => producer.GetValueOrDefault(a.Alias)).FirstOrDefault();
}
