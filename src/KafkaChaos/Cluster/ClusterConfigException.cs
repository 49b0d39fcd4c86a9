namespace KafkaChaos.Cluster;

/// <summary>
/// The cluster asked for cannot be: a broker count out of range, a distribution or image that is not
/// there, an override for a broker that does not exist. Exit code 2; nothing has been started.
/// </summary>
public sealed class ClusterConfigException : Exception
{
    public ClusterConfigException(string message)
        : base(message)
    {
    }

    public ClusterConfigException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
