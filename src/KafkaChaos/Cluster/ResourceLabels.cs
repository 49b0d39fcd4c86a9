using System.Globalization;

namespace KafkaChaos.Cluster;

/// <summary>
/// The labels on everything the tool creates in Docker. <see cref="Run"/> marks a resource as ours;
/// <see cref="Owner"/> names the process that owns it (pid and start time, so a reused pid does not
/// keep a dead run's containers alive), which is how the next start knows what is stale.
/// </summary>
/// <remarks>
/// A cluster started to be kept (<c>run --keep-cluster</c>) carries <see cref="KeptOwner"/> as its
/// owner: the user asked for it to outlive the process, so only <c>cluster down</c> removes it.
/// Cached images carry <see cref="Run"/> with the value <see cref="CachedImageRun"/>: they are meant
/// to outlive runs, and only an explicit image removal deletes them.
/// </remarks>
public static class ResourceLabels
{
    public const string Run = "kafka-chaos.run";
    public const string Owner = "kafka-chaos.owner";
    public const string Role = "kafka-chaos.role";
    public const string BrokerId = "kafka-chaos.broker-id";
    public const string KafkaVersion = "kafka-chaos.kafka-version";
    public const string DistributionDigest = "kafka-chaos.dist-digest";
    public const string CachedImageRun = "cache";
    public const string KeptOwner = "kept";

    /// <summary>This process's owner value.</summary>
    public static string CurrentOwner { get; } = OwnerOf(Environment.ProcessId) ?? Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

    public static Dictionary<string, string> For(string runId, string role, bool kept = false) => new(StringComparer.Ordinal)
    {
        [Run] = runId,
        [Owner] = kept ? KeptOwner : CurrentOwner,
        [Role] = role,
    };

    /// <summary>True when the owner named by a label value is a process that is still running.</summary>
    public static bool OwnerIsAlive(string? owner)
    {
        if (string.IsNullOrEmpty(owner))
        {
            return false;
        }

        var pidText = owner.Split(':')[0];
        if (!int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        return OwnerOf(pid) is { } current && current == owner;
    }

    /// <summary>"pid:start-time" from /proc on Linux; elsewhere the start time the runtime reports.</summary>
    private static string? OwnerOf(int pid)
    {
        try
        {
            var statPath = $"/proc/{pid}/stat";
            if (File.Exists(statPath))
            {
                var stat = File.ReadAllText(statPath);
                // Field 22 (starttime) counts from the field after the parenthesised command name.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return $"{pid}:{fields[19]}";
            }

            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return $"{pid}:{process.StartTime.ToUniversalTime().Ticks}";
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
