namespace KafkaChaos.Cluster;

/// <summary>
/// The environment, not the experiment, is at fault: no engine, a missing image, a broker that never
/// became healthy. The message says what to do; the CLI maps it to exit code 3.
/// </summary>
public sealed class InfrastructureException : Exception
{
    public InfrastructureException(string message) : base(message) { }

    public InfrastructureException(string message, Exception inner) : base(message, inner) { }
}
