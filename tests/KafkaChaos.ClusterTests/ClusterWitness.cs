using System.Net.Sockets;
using System.Text;
using Confluent.Kafka;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// A test's own look at a cluster, through none of the tool's readers: the engine's record of a container,
/// the rules iptables lists in a broker's namespace, the metadata a Kafka client of the test's gets, and the
/// ephemeral znodes ZooKeeper itself reports. A fault's verdict is held to these, so that a fault the tool
/// only believes it applied cannot pass.
/// </summary>
/// <remarks>
/// ZooKeeper is asked with its <c>dump</c> four-letter word over plain TCP (not the protocol the tool's
/// reader speaks): the session that holds <c>/controller</c> is the one that holds the controller's
/// <c>/brokers/ids/N</c>.
/// </remarks>
internal sealed class ClusterWitness(IDockerClient engine, IReadOnlyDictionary<string, string> clientSettings, string zooKeeperConnect = "")
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(500);

    /// <summary>The engine's record of a container: running, frozen, when it last started and how its last process ended.</summary>
    public async Task<ContainerRecord> ContainerAsync(string containerId)
    {
        var state = (await engine.Containers.InspectContainerAsync(containerId)).State;
        return new ContainerRecord(state.Running, state.Paused, state.StartedAt, state.ExitCode);
    }

    /// <summary>How often the engine's event log says the container's process ended (<c>die</c>) since the container was created.</summary>
    public async Task<int> DeathsAsync(string containerId)
    {
        var created = (await engine.Containers.InspectContainerAsync(containerId)).Created;
        var deaths = 0;
        await engine.System.MonitorEventsAsync(new ContainerEventsParameters
        {
            Since = new DateTimeOffset(created).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            Until = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["container"] = new Dictionary<string, bool> { [containerId] = true },
                ["event"] = new Dictionary<string, bool> { ["die"] = true },
            },
        }, new Progress<Message>(_ => Interlocked.Increment(ref deaths)), CancellationToken.None);
        return deaths;
    }

    /// <summary>Every DROP rule <c>iptables -S</c> lists in the container's network namespace, exec'd by the test itself.</summary>
    public async Task<IReadOnlyList<string>> DropRulesAsync(string containerId)
    {
        var created = await engine.Exec.ExecCreateContainerAsync(containerId,
            new ContainerExecCreateParameters { Cmd = ["iptables", "-S"], AttachStdout = true, AttachStderr = true });
        using var stream = await engine.Exec.StartAndAttachContainerExecAsync(created.ID, tty: false);
        var (stdout, stderr) = await stream.ReadOutputToEndAsync(CancellationToken.None);
        var exit = (await engine.Exec.InspectContainerExecAsync(created.ID)).ExitCode;
        if (exit != 0)
        {
            throw new InvalidOperationException($"iptables -S in {containerId} exited {exit}: {stderr}");
        }

        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("-A ", StringComparison.Ordinal) && line.EndsWith("-j DROP", StringComparison.Ordinal)).ToList();
    }

    /// <summary>The topic's metadata as a client of the test's own gets it from whichever broker answers.</summary>
    public Metadata Metadata(string topic)
    {
        using var admin = new AdminClientBuilder(clientSettings).Build();
        return admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
    }

    /// <summary>Polls the test's metadata until <paramref name="condition"/> holds; the last metadata seen, and whether it held.</summary>
    public async Task<(bool Held, string Seen)> MetadataUntilAsync(string topic, Func<Metadata, bool> condition, TimeSpan timeout)
    {
        var until = TimeProvider.System.GetUtcNow() + timeout;
        var seen = "no metadata";
        while (true)
        {
            try
            {
                var metadata = Metadata(topic);
                seen = Describe(metadata, topic);
                if (condition(metadata))
                {
                    return (true, seen);
                }
            }
            catch (KafkaException e)
            {
                seen = e.Error.Reason;
            }

            if (TimeProvider.System.GetUtcNow() > until)
            {
                return (false, seen);
            }

            await Task.Delay(PollEvery, TimeProvider.System);
        }
    }

    /// <summary>
    /// The partition's leader in the test's own metadata, once it names one: a broker's metadata learns a new
    /// topic's partitions a moment after the topic is created.
    /// </summary>
    public async Task<int> LeaderOfAsync(string topic, int partition)
    {
        var (led, seen) = await MetadataUntilAsync(topic, m => LeaderIn(m, partition) > 0, TimeSpan.FromSeconds(30));
        return led ? LeaderIn(Metadata(topic), partition) : throw new InvalidOperationException($"the test's client found no leader of {topic}-{partition}: {seen}");
    }

    /// <summary>The partition's leader in <paramref name="metadata"/>, -1 while it names none.</summary>
    public static int LeaderIn(Metadata metadata, int partition) =>
        metadata.Topics.SelectMany(t => t.Partitions).FirstOrDefault(p => p.PartitionId == partition)?.Leader ?? -1;

    /// <summary>The controller's broker id as ZooKeeper's session dump shows it, or null when no session holds <c>/controller</c>.</summary>
    public async Task<int?> ControllerAsync()
    {
        var sessions = await EphemeralsBySessionAsync();
        var holder = sessions.Values.FirstOrDefault(nodes => nodes.Contains("/controller"));
        var id = holder?.FirstOrDefault(n => n.StartsWith("/brokers/ids/", StringComparison.Ordinal));
        return id is null ? null : int.Parse(id["/brokers/ids/".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Polls ZooKeeper's dump until <paramref name="condition"/> holds for the controller id it names.</summary>
    public Task<(bool Held, int? Controller)> ControllerUntilAsync(Func<int?, bool> condition, TimeSpan timeout) => UntilAsync(ControllerAsync, condition, timeout);

    /// <summary>Polls ZooKeeper's dump until the registered broker ids (the sessions holding <c>/brokers/ids/N</c>) satisfy <paramref name="condition"/>.</summary>
    public Task<(bool Held, IReadOnlyList<int> Ids)> RegisteredUntilAsync(Func<IReadOnlyList<int>, bool> condition, TimeSpan timeout) =>
        UntilAsync<IReadOnlyList<int>>(async () => (await EphemeralsBySessionAsync()).Values.SelectMany(nodes => nodes)
            .Where(n => n.StartsWith("/brokers/ids/", StringComparison.Ordinal))
            .Select(n => int.Parse(n["/brokers/ids/".Length..], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList(), condition, timeout);

    /// <summary>Reads until <paramref name="condition"/> holds or <paramref name="timeout"/> has passed; whether it held, and the last read.</summary>
    private static async Task<(bool Held, T Last)> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> condition, TimeSpan timeout)
    {
        var until = TimeProvider.System.GetUtcNow() + timeout;
        while (true)
        {
            var last = await read();
            if (condition(last) || TimeProvider.System.GetUtcNow() > until)
            {
                return (condition(last), last);
            }

            await Task.Delay(PollEvery, TimeProvider.System);
        }
    }

    public static string Describe(Metadata metadata, string topic) =>
        $"brokers [{string.Join(",", metadata.Brokers.Select(b => b.BrokerId).Order())}] "
        + string.Join(" ", metadata.Topics.Where(t => t.Topic == topic).SelectMany(t => t.Partitions).OrderBy(p => p.PartitionId)
            .Select(p => $"p{p.PartitionId}:leader {p.Leader} isr [{string.Join(",", p.InSyncReplicas.Order())}]"));

    /// <summary>ZooKeeper's <c>dump</c>: each session id with the ephemeral znodes it holds.</summary>
    private async Task<Dictionary<string, List<string>>> EphemeralsBySessionAsync()
    {
        if (zooKeeperConnect.Length == 0)
        {
            throw new InvalidOperationException("this witness was given no ZooKeeper to ask");
        }

        var (host, port) = (zooKeeperConnect[..zooKeeperConnect.LastIndexOf(':')], int.Parse(zooKeeperConnect[(zooKeeperConnect.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        using var client = new TcpClient();
        await client.ConnectAsync(host, port);
        var stream = client.GetStream();
        await stream.WriteAsync("dump"u8.ToArray());
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var text = await reader.ReadToEndAsync();
        var sessions = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (var line in text.Split('\n').SkipWhile(l => !l.StartsWith("ephemeral nodes dump", StringComparison.OrdinalIgnoreCase)).Skip(1))
        {
            if (line.StartsWith("0x", StringComparison.Ordinal))
            {
                sessions[line.TrimEnd(':', '\r', ' ')] = current = [];
            }
            else if (current is not null && line.Trim() is { Length: > 0 } node && node.StartsWith('/'))
            {
                current.Add(node);
            }
        }

        return sessions;
    }
}

/// <summary>What the engine says of a container.</summary>
internal sealed record ContainerRecord(bool Running, bool Paused, string StartedAt, long ExitCode);
