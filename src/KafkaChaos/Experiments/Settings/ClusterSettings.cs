using KafkaChaos.Cluster;

namespace KafkaChaos.Experiments.Settings;

/// <summary>The cluster settings of an own cluster that go beyond its size: its metadata mode and where its controllers run.</summary>
public static class ClusterSettings
{
    public const string Auto = "auto";

    /// <summary>ZooKeeper or KRaft; auto is KRaft from Kafka 3.3 and ZooKeeper before (4.x has only KRaft).</summary>
    public static SettingDescriptor<ClusterMode?> Mode { get; } = new()
    {
        Key = "cluster.mode",
        Flag = "--cluster-mode",
        Doc = "how the cluster keeps its metadata: kraft, zookeeper, or auto (KRaft from Kafka 3.3, ZooKeeper before; 4.x runs only KRaft)",
        Expected = "auto, kraft or zookeeper",
        Default = null,
        TryParse = (string text, out ClusterMode? mode) =>
        {
            mode = text switch
            {
                "kraft" => ClusterMode.KRaft,
                "zookeeper" => ClusterMode.ZooKeeper,
                _ => null,
            };
            return mode is not null || text == Auto;
        },
        Format = mode => mode switch
        {
            ClusterMode.KRaft => "kraft",
            ClusterMode.ZooKeeper => "zookeeper",
            _ => Auto,
        },
    };

    /// <summary>In KRaft mode: combined (every broker a voter) or 1, 3 or 5 controllers of their own.</summary>
    public static SettingDescriptor<ControllerPlacement?> Controllers { get; } = new()
    {
        Key = "cluster.controllers",
        Flag = "--controllers",
        Doc = "KRaft only: combined (every broker is also a controller and a voter), or 1, 3 or 5 controllers of their own; auto is combined up to 3 brokers, else 3",
        Expected = "auto, combined, 1, 3 or 5",
        Default = null,
        TryParse = (string text, out ControllerPlacement? placement) =>
        {
            placement = ControllerPlacement.TryParse(text, out var parsed) ? parsed : null;
            return placement is not null || text == Auto;
        },
        Format = placement => placement?.ToString() ?? Auto,
    };

    /// <summary>Every descriptor, for the flags, the docs and the tests that walk them.</summary>
    public static IReadOnlyList<SettingDescriptor> All { get; } = [Mode, Controllers];
}
