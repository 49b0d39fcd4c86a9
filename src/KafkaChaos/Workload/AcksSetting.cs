namespace KafkaChaos.Workload;

/// <summary>
/// Everything the tool knows of a producer's <c>acks</c>: the values a broker takes, its second name, and
/// what each means. The producer reads it (with acks=0 no delivery report carries an offset), and the
/// file loader, the flags and the bench check against it, so the four agree by construction.
/// </summary>
public static class AcksSetting
{
    /// <summary>librdkafka's older name for the same setting.</summary>
    public const string Alias = "request.required.acks";

    /// <summary>What a broker accepts: none, the leader, or every in-sync replica (-1 is all).</summary>
    public static readonly IReadOnlyList<string> Values = ["0", "1", "all", "-1"];

    /// <summary>The sentence a refusal ends with.</summary>
    public const string Expected = "0, 1 or all (-1)";

    public static bool IsValid(string value) => Values.Contains(value.Trim());

    /// <summary>Whether <paramref name="value"/> waits for every in-sync replica; null (unset) is librdkafka's default, all.</summary>
    public static bool IsAll(string? value) => value is null || value.Trim() is "all" or "-1";

    /// <summary>The number Kafka's own tools take (all is -1).</summary>
    public static string AsNumber(string value) => value.Trim() == "all" ? "-1" : value.Trim();

    /// <summary>The acks a producer configuration gives under either name, trimmed; null when neither is set.</summary>
    public static string? Of(IReadOnlyDictionary<string, string> producer)
    {
        ArgumentNullException.ThrowIfNull(producer);
        return (producer.TryGetValue("acks", out var value) ? value : producer.GetValueOrDefault(Alias))?.Trim();
    }
}
