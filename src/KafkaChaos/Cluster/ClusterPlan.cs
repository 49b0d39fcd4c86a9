using System.Text;

namespace KafkaChaos.Cluster;

/// <summary>
/// A cluster as the tool would start it, in words, without starting it: every node's role, address, ports,
/// full server.properties and, in KRaft mode, the storage format command. What <c>check --image</c> prints.
/// </summary>
public static class ClusterPlan
{
    /// <summary>The subnet plans are shown on; a run takes a free /24 of its own.</summary>
    public const string ExampleSubnet = "10.213.0.0/24";

    public static string Render(ClusterSpec spec, KafkaImageLayout layout, string layoutSource, string clusterId)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(layout);
        var resolved = spec.Resolved();
        var text = new StringBuilder();
        if (resolved.Mode == ClusterMode.KRaft)
        {
            var nodes = KRaftConfig.Plan(resolved, b => SubnetAllocator.Host(ExampleSubnet, 10 + b), c => SubnetAllocator.Host(ExampleSubnet, 100 + c), clusterId, () => KafkaUuid.New());
            text.Append($"Kafka {resolved.Version}, KRaft mode, {(resolved.Version.HasDynamicQuorum ? "dynamic" : "static")} quorum, controllers {resolved.Controllers} "
                + $"({nodes.Count(n => n.IsVoter)} voters), {resolved.Brokers} broker(s); image {resolved.Image} ({layout.Name} layout, {layoutSource})\n");
            text.Append($"cluster id {clusterId} (each run draws its own); addresses on {ExampleSubnet} (each run takes a free /24)\n");
            foreach (var node in nodes)
            {
                text.Append($"\n{node.Name}: node.id {node.NodeId}, process.roles {node.Settings["process.roles"]}, {node.Address}, ports "
                    + string.Join(", ", node.Ports.Select(p => $"{p.Key} {p.Value}")) + "\n");
                text.Append("  format before the first start: ").Append(NodeProcess.FormatCommand(layout, node)).Append('\n');
                text.Append("  start: ").Append(layout.Script("kafka-server-start")).Append(' ').Append(KRaftConfig.ConfigPath).Append('\n');
                AppendIndented(text, node.Render(resolved.Version));
            }

            return text.ToString();
        }

        var zooKeeper = SubnetAllocator.Host(ExampleSubnet, 2);
        text.Append($"Kafka {resolved.Version}, ZooKeeper mode, {resolved.Brokers} broker(s); image {resolved.Image} ({layout.Name} layout, {layoutSource})\n");
        text.Append($"addresses on {ExampleSubnet} (each run takes a free /24)\n");
        text.Append($"\nzookeeper: {zooKeeper}, port {ZooKeeperBrokerConfig.ZooKeeperPort}\n");
        AppendIndented(text, ZooKeeperBrokerConfig.RenderZooKeeper());
        for (var id = 1; id <= resolved.Brokers; id++)
        {
            var address = SubnetAllocator.Host(ExampleSubnet, 10 + id);
            text.Append($"\nbroker-{id}: broker.id {id}, {address}, port {ZooKeeperBrokerConfig.ClientPort}\n");
            AppendIndented(text, ZooKeeperBrokerConfig.RenderBroker(resolved, id, address, $"{zooKeeper}:{ZooKeeperBrokerConfig.ZooKeeperPort}"));
        }

        return text.ToString();
    }

    private static void AppendIndented(StringBuilder text, string properties)
    {
        foreach (var line in properties.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            text.Append("    ").Append(line).Append('\n');
        }
    }
}
