using KafkaChaos.Cluster;

namespace KafkaChaos.Cli;

/// <summary>
/// Repeatable <c>key=value</c> options (<c>--producer-config</c>, <c>--client-config</c>,
/// <c>--broker-config</c>, the part after <c>id:</c> of <c>--broker-override</c>).
/// </summary>
public static class KeyValueArguments
{
    /// <exception cref="ClusterConfigException">
    /// An entry without a key; the message names the option and the key only, since a value may be a secret.
    /// </exception>
    public static Dictionary<string, string> Parse(IEnumerable<string> entries, string option)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ClusterConfigException($"{option}: an entry is not key=value (key '{(equals < 0 ? "?" : entry[..equals])}')");
            }

            settings[entry[..equals].Trim()] = entry[(equals + 1)..].Trim();
        }

        return settings;
    }
}
