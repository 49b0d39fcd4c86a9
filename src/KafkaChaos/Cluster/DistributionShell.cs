using System.Text.RegularExpressions;

namespace KafkaChaos.Cluster;

/// <summary>
/// The Kafka distribution's own tools, run in a broker's container: how topics, topic settings and the
/// controller are handled through ZooKeeper on brokers that have no API for them. Always from the first
/// broker that is running, as another fault may have killed or paused any one of them.
/// </summary>
public sealed partial class DistributionShell(IBrokerControl brokers, string kafkaHome, string zooKeeperConnect)
{
    public string ZooKeeperConnect => zooKeeperConnect;

    /// <summary>
    /// Runs a class of the distribution (TopicCommand, ConfigCommand) against ZooKeeper. <paramref name="success"/>
    /// is what its output says when it worked, as the tools of these versions exit 0 on many failures;
    /// <paramref name="what"/> says what was being done, for the error.
    /// </summary>
    public async Task RunClassAsync(string mainClass, IEnumerable<string> arguments, string success, string what, CancellationToken cancellationToken)
    {
        var shell = await brokers.FirstRunningAsync(cancellationToken)
            ?? throw new InfrastructureException($"no broker container is running to run {mainClass} from; {what} failed");
        string[] command = ["java", "-Xmx256m", "-cp", $"{kafkaHome}/libs/*", mainClass, "--zookeeper", zooKeeperConnect, .. arguments];
        var (exitCode, output) = await brokers.ExecAsync(shell, command, cancellationToken);
        if (exitCode != 0 || !output.Contains(success, StringComparison.Ordinal))
        {
            throw new InfrastructureException($"{what} failed (exit {exitCode}): {output.Trim()}");
        }
    }

    /// <summary>
    /// Runs one ZooKeeper shell command (such as <c>delete /controller</c>) with the distribution's shell.
    /// The 0.9 shell runs a command only from its input: given as arguments, it runs it before it has
    /// connected and silently does nothing.
    /// </summary>
    /// <returns>What the shell printed.</returns>
    public async Task<string> ZooKeeperCommandAsync(string command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!ZooKeeperShellCommand().IsMatch(command))
        {
            throw new ArgumentException($"not a plain ZooKeeper shell command: '{command}'", nameof(command));
        }

        var shell = await brokers.FirstRunningAsync(cancellationToken)
            ?? throw new InfrastructureException($"no broker container is running to reach ZooKeeper from; cannot run '{command}'");
        var (exitCode, output) = await brokers.ExecAsync(shell,
            ["sh", "-c", $"echo '{command}' | {kafkaHome}/bin/zookeeper-shell.sh {zooKeeperConnect}"], cancellationToken);
        if (exitCode != 0 || output.Contains("Exception", StringComparison.Ordinal) || output.Contains("KeeperErrorCode", StringComparison.Ordinal))
        {
            throw new InfrastructureException($"ZooKeeper command '{command}' failed (exit {exitCode}): {output.Trim()}");
        }

        return output;
    }

    /// <summary>A verb and a znode path: nothing a shell would read as more than that.</summary>
    [GeneratedRegex("^[a-z]+ /[A-Za-z0-9_./-]*$")]
    private static partial Regex ZooKeeperShellCommand();
}
