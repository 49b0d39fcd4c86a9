using System.CommandLine;
using System.Globalization;
using Docker.DotNet.Models;
using KafkaChaos.Cluster;
using KafkaChaos.Experiments.Settings;
using Spectre.Console;

namespace KafkaChaos.Cli;

/// <summary>
/// <c>kafka-chaos cluster up|status|logs|down</c>. <c>up</c> stays in the foreground, like
/// <c>docker compose up</c>: the cluster lives as long as the command, Ctrl-C or SIGTERM removes it,
/// and if the command is killed outright the next start of the tool sweeps it as stale.
/// </summary>
public static class ClusterCommand
{
    public static Command Create(CancellationToken interrupt) => new("cluster", "Clusters started by kafka-chaos")
    {
        Up(interrupt), Status(interrupt), Logs(interrupt), Down(interrupt),
    };

    private static Command Up(CancellationToken interrupt)
    {
        var brokers = new Option<int>("--brokers") { Description = "brokers, 1..9", DefaultValueFactory = _ => 3 };
        var image = new Option<string?>("--image") { Description = "broker image (one built by 'image build'); overrides --dist" };
        var dist = new Option<string?>("--dist") { Description = "Kafka distribution (folder or .tgz) to build the broker image from; default $KAFKA_DIST" };
        var baseImage = new Option<string>("--base-image") { Description = "JRE base image for built broker images", DefaultValueFactory = _ => BrokerImageBuilder.DefaultBaseImage };
        var config = new Option<string[]>("--broker-config") { Description = "a setting for every broker, key=value (repeatable)" };
        var overrides = new Option<string[]>("--broker-override") { Description = "a setting for one broker, id:key=value (repeatable), e.g. 3:replica.lag.time.max.ms=5000" };
        var clusterMode = SettingOptions.Create(ClusterSettings.Mode);
        var controllers = SettingOptions.Create(ClusterSettings.Controllers);
        var up = new Command("up", "Start a cluster, print its bootstrap servers, and keep it until Ctrl-C") { brokers, image, dist, baseImage, config, overrides, clusterMode, controllers };
        up.SetAction(async (parse, _) => await CliErrors.GuardAsync(async () =>
        {
            var shared = KeyValueArguments.Parse(parse.GetValue(config) ?? [], "--broker-config");
            var perBroker = new Dictionary<int, IReadOnlyDictionary<string, string>>();
            foreach (var entry in parse.GetValue(overrides) ?? [])
            {
                var colon = entry.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0 || !int.TryParse(entry[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    throw new ClusterConfigException($"--broker-override: '{entry}' is not id:key=value");
                }

                var settings = perBroker.TryGetValue(id, out var existing) ? new Dictionary<string, string>(existing) : [];
                foreach (var (key, value) in KeyValueArguments.Parse([entry[(colon + 1)..]], "--broker-override"))
                {
                    settings[key] = value;
                }

                perBroker[id] = settings;
            }

            // Everything that can be checked without an engine is checked first: a bad value starts nothing.
            var mode = ClusterSettings.Mode.ReadFlag(parse.GetValue(clusterMode));
            var placement = ClusterSettings.Controllers.ReadFlag(parse.GetValue(controllers));
            new ClusterSpec("(not resolved yet)", new KafkaVersion(0, 0, 0), parse.GetValue(brokers), shared, perBroker).ValidateShape();
            using var engine = await DockerEngine.ConnectAsync(interrupt);
            var (imageName, version) = await new BrokerImageBuilder(engine).ResolveAsync(
                parse.GetValue(image) ?? KafkaImages.FromEnvironment(),
                DistributionPath.FromFlagOrEnvironment(parse.GetValue(dist)),
                parse.GetValue(baseImage)!, Path.Combine(Path.GetTempPath(), "kafka-chaos-dist"), Log, interrupt);
            var spec = new ClusterSpec(imageName, version, parse.GetValue(brokers), shared, perBroker, mode, placement).Resolved();
            var clusterId = $"cluster-{TimeProvider.System.GetUtcNow():yyyyMMdd-HHmmss}";
            await using var cluster = await KafkaCluster.StartAsync(engine, spec, clusterId, Log, interrupt);
            Console.WriteLine($"cluster {clusterId}: Kafka {version}, {spec.Brokers} broker(s), {(spec.Mode == ClusterMode.KRaft ? $"KRaft, controllers {spec.Controllers}" : "ZooKeeper mode")}");
            Console.WriteLine($"bootstrap servers: {cluster.BootstrapServers}");
            foreach (var (key, value) in ClientCompatibility.SettingsFor(version))
            {
                Console.WriteLine($"client setting needed for this broker version: {key}={value}");
            }

            Console.WriteLine("press Ctrl-C to stop and remove the cluster");
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, interrupt);
            }
            catch (OperationCanceledException)
            {
                Log($"removing cluster {clusterId}");
            }

            return ExitCodes.Ok;
        }));
        return up;
    }

    private static Command Status(CancellationToken interrupt)
    {
        var status = new Command("status", "List kafka-chaos clusters: containers, roles, addresses, state, and whether their owner is alive (stale ones are swept by the next start) or they were kept (run --keep-cluster; removed only by down)");
        status.SetAction(async (_, _) => await CliErrors.GuardAsync(async () =>
        {
            using var engine = await DockerEngine.ConnectAsync(interrupt);
            var containers = await ListAsync(engine, null, interrupt);
            if (containers.Count == 0)
            {
                Console.WriteLine("no kafka-chaos clusters");
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("cluster", "container", "role", "address", "state", "owner");
            foreach (var container in containers.OrderBy(c => c.Labels[ResourceLabels.Run], StringComparer.Ordinal).ThenBy(c => c.Names[0], StringComparer.Ordinal))
            {
                var owner = Label(container, ResourceLabels.Owner);
                table.AddRow(
                    Markup.Escape(container.Labels[ResourceLabels.Run]),
                    Markup.Escape(container.Names[0].TrimStart('/')),
                    Markup.Escape(Label(container, ResourceLabels.Role) ?? ""),
                    Markup.Escape(string.Join(",", container.NetworkSettings?.Networks?.Values.Select(n => n.IPAddress) ?? [])),
                    Markup.Escape(container.State),
                    owner == ResourceLabels.KeptOwner ? "[blue]kept[/]" : ResourceLabels.OwnerIsAlive(owner) ? "alive" : "[yellow]stale[/]");
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        }));
        return status;
    }

    private static Command Logs(CancellationToken interrupt)
    {
        var cluster = new Argument<string>("cluster") { Description = "the cluster id 'status' shows" };
        var role = new Option<string?>("--role") { Description = "only this container: zookeeper, broker-1, broker-2, ..." };
        var logs = new Command("logs", "Print the logs of a cluster's containers") { cluster, role };
        logs.SetAction(async (parse, _) => await CliErrors.GuardAsync(async () =>
        {
            using var engine = await DockerEngine.ConnectAsync(interrupt);
            var containers = await ListAsync(engine, parse.GetValue(cluster), interrupt);
            var wanted = parse.GetValue(role);
            var selected = containers.Where(c => wanted is null || c.Names[0].EndsWith("-" + wanted, StringComparison.Ordinal)).ToList();
            if (selected.Count == 0)
            {
                throw new ClusterConfigException($"no container of cluster '{parse.GetValue(cluster)}'{(wanted is null ? "" : $" with role {wanted}")}; 'kafka-chaos cluster status' lists them");
            }

            foreach (var container in selected.OrderBy(c => c.Names[0], StringComparer.Ordinal))
            {
                Console.WriteLine($"===== {container.Names[0].TrimStart('/')} =====");
                Console.Write(await engine.LogsAsync(container.ID, interrupt));
            }

            return ExitCodes.Ok;
        }));
        return logs;
    }

    private static Command Down(CancellationToken interrupt)
    {
        var cluster = new Argument<string?>("cluster") { Description = "remove this cluster (its id from 'status')", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "remove every labelled container and network, including kept clusters and those of runs still alive" };
        var down = new Command("down", "Remove one cluster, the stale ones (owner gone), or with --all every kafka-chaos container and network, kept clusters included") { cluster, all };
        down.SetAction(async (parse, _) => await CliErrors.GuardAsync(async () =>
        {
            using var engine = await DockerEngine.ConnectAsync(interrupt);
            var sweeper = new ResourceSweeper(engine);
            var id = parse.GetValue(cluster);
            if (id is not null && parse.GetValue(all))
            {
                throw new ClusterConfigException($"cluster down: give a cluster id ('{id}') or --all, not both");
            }

            if (id is not null && (await ListAsync(engine, id, interrupt)).Count == 0)
            {
                throw new ClusterConfigException($"cluster down: no kafka-chaos cluster '{id}'; 'kafka-chaos cluster status' lists them");
            }

            var (containers, networks) = id is not null
                ? await sweeper.RemoveRunAsync(id, interrupt)
                : await sweeper.SweepAsync(parse.GetValue(all), interrupt);
            Console.WriteLine($"removed {containers} container(s) and {networks} network(s)");
            return ExitCodes.Ok;
        }));
        return down;
    }

    private static async Task<IList<ContainerListResponse>> ListAsync(DockerEngine engine, string? clusterId, CancellationToken cancellationToken)
    {
        var containers = await engine.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [clusterId is null ? ResourceLabels.Run : $"{ResourceLabels.Run}={clusterId}"] = true },
            },
        }, cancellationToken);
        return containers.Where(c => Label(c, ResourceLabels.Run) != ResourceLabels.CachedImageRun).ToList();
    }

    private static string? Label(ContainerListResponse container, string key) =>
        container.Labels is { } labels && labels.TryGetValue(key, out var value) ? value : null;

    private static void Log(string line) => Console.Error.WriteLine($"{TimeProvider.System.GetLocalNow():HH:mm:ss} {line}");
}
