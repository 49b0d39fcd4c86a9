using Docker.DotNet;
using Docker.DotNet.Models;

namespace KafkaChaos.Cluster;

/// <summary>
/// Brokers as containers on the local Docker engine, through its API: the same for a cluster this tool
/// started and one it attached to, since only the way the containers were found differs.
/// </summary>
public sealed class ContainerBrokerControl(DockerEngine engine, IReadOnlyList<BrokerNode> brokers, TimeProvider time, Action<string> log,
    IReadOnlyList<BrokerNode>? controllers = null) : IBrokerControl
{
    /// <summary>How long a program waits for a paused broker to be unpaused before it is an error.</summary>
    public static readonly TimeSpan PausedWaitLimit = TimeSpan.FromMinutes(3);

    public IReadOnlyList<BrokerNode> Brokers => brokers;

    public IReadOnlyList<BrokerNode> Controllers => controllers ?? [];

    public async Task KillAsync(BrokerNode broker, string signal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broker);
        cancellationToken.ThrowIfCancellationRequested();
        await engine.Client.Containers.KillContainerAsync(broker.ContainerId, new ContainerKillParameters { Signal = signal }, CancellationToken.None);
    }

    public async Task StartAsync(BrokerNode broker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broker);
        await engine.Client.Containers.StartContainerAsync(broker.ContainerId, new ContainerStartParameters(), cancellationToken);
    }

    /// <remarks>Not cancelled once started, as <see cref="IBrokerControl.KillAsync"/> says; it ends within <paramref name="grace"/>.</remarks>
    public async Task StopAsync(BrokerNode broker, TimeSpan grace, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broker);
        cancellationToken.ThrowIfCancellationRequested();
        await engine.Client.Containers.StopContainerAsync(broker.ContainerId,
            new ContainerStopParameters { WaitBeforeKillSeconds = (uint)grace.TotalSeconds }, CancellationToken.None);
    }

    /// <summary>Freezes the container with the cgroup freezer.</summary>
    /// <remarks>
    /// The freezer gives up ("unable to freeze") when the container's processes do not all stop in time,
    /// which happens now and then on a loaded machine (moby/moby#48205). The runtime thaws the container
    /// again, so the pause is retried a few times before the engine's refusal is returned.
    /// </remarks>
    public async Task<string?> PauseAsync(BrokerNode broker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broker);
        const int attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                await engine.Client.Containers.PauseContainerAsync(broker.ContainerId, CancellationToken.None); // see KillAsync
                return null;
            }
            catch (DockerApiException e) when (e.ResponseBody.Contains("unable to freeze", StringComparison.Ordinal))
            {
                if ((await StateAsync(broker, cancellationToken)).Paused)
                {
                    return null;
                }

                if (attempt == attempts)
                {
                    return $"{e.ResponseBody.Trim()} ({attempts} attempts)";
                }

                log($"the engine could not freeze {broker.Target} (attempt {attempt} of {attempts}); trying again");
                await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken);
            }
        }
    }

    public async Task UnpauseAsync(BrokerNode broker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broker);
        await engine.Client.Containers.UnpauseContainerAsync(broker.ContainerId, cancellationToken);
    }

    public async Task<(bool Running, bool Paused)> StateAsync(BrokerNode broker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var inspected = await engine.Client.Containers.InspectContainerAsync(broker.ContainerId, cancellationToken);
        return (inspected.State.Running, inspected.State.Paused);
    }

    public async Task<IReadOnlyList<string>> LogTailAsync(BrokerNode broker, int lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broker);
        return (await engine.LogsAsync(broker.ContainerId, cancellationToken, lines))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>
    /// Runs the program in the broker's container. Faults overlap: a network fault may heal, or check its
    /// rules, while a pause-broker holds the same container frozen, and the engine refuses an exec into a
    /// paused container. The program then waits for the pause to be healed, which its own schedule does,
    /// instead of failing the other fault's heal (seen in an hour's soak: a cut-replication's heal refused
    /// when a pause-broker began on that broker).
    /// </summary>
    public async Task<(long ExitCode, string Output)> ExecAsync(BrokerNode broker, IList<string> command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broker);
        return await ExecWaitingOutPauseAsync(engine, broker.ContainerId, command, time, cancellationToken);
    }

    /// <summary>An exec into <paramref name="containerId"/> that waits out a pause, as <see cref="ExecAsync"/> says.</summary>
    private static async Task<(long ExitCode, string Output)> ExecWaitingOutPauseAsync(DockerEngine engine, string containerId, IList<string> command,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var waitingSince = time.GetTimestamp();
        while (true)
        {
            try
            {
                return await engine.ExecAsync(containerId, command, cancellationToken);
            }
            catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict
                && e.ResponseBody.Contains("is paused", StringComparison.Ordinal) && time.GetElapsedTime(waitingSince) < PausedWaitLimit)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken);
            }
        }
    }
}
