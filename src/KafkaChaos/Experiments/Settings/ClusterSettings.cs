using KafkaChaos.Cluster;

namespace KafkaChaos.Experiments.Settings;

/// <summary>The cluster an own run starts: how many brokers, how it keeps its metadata, and where its controllers run.</summary>
public static class ClusterSettings
{
    public const string Auto = "auto";

    public static SettingDescriptor<ExperimentSpec, int> Brokers { get; } = SettingKinds.Whole(
        new SettingKinds.Facts<ExperimentSpec, int>("cluster.brokers", "--brokers", "brokers in the cluster the run starts", ExperimentSpec.Default,
            s => s.Brokers, (s, v) => s with { Brokers = v }),
        ClusterSpec.MinBrokers, ClusterSpec.MaxBrokers);

    /// <summary>ZooKeeper or KRaft; auto is KRaft from Kafka 3.3 and ZooKeeper before (4.x has only KRaft).</summary>
    public static SettingDescriptor<ExperimentSpec, ClusterMode?> Mode { get; } = new()
    {
        Key = "cluster.mode",
        Flag = "--cluster-mode",
        Doc = "how the cluster keeps its metadata: kraft, zookeeper, or auto (KRaft from Kafka 3.3, ZooKeeper before; 4.x runs only KRaft)",
        Expected = "auto, kraft or zookeeper",
        Samples = [Auto, "kraft", "zookeeper"],
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
        Get = s => s.Mode,
        Set = (s, v) => s with { Mode = v },
    };

    /// <summary>In KRaft mode: combined (every broker a voter) or 1, 3 or 5 controllers of their own.</summary>
    public static SettingDescriptor<ExperimentSpec, ControllerPlacement?> Controllers { get; } = new()
    {
        Key = "cluster.controllers",
        Flag = "--controllers",
        Doc = "KRaft only: combined (every broker is also a controller and a voter), or 1, 3 or 5 controllers of their own; auto is combined up to 3 brokers, else 3",
        Expected = "auto, combined, 1, 3 or 5",
        Samples = [Auto, "combined", "1", "3", "5"],
        Default = null,
        TryParse = (string text, out ControllerPlacement? placement) =>
        {
            placement = ControllerPlacement.TryParse(text, out var parsed) ? parsed : null;
            return placement is not null || text == Auto;
        },
        Format = placement => placement?.ToString() ?? Auto,
        Get = s => s.Controllers,
        Set = (s, v) => s with { Controllers = v },
    };

    public static IReadOnlyList<SettingDescriptor<ExperimentSpec>> All { get; } = [Brokers, Mode, Controllers];
}
