using System.Globalization;
using KafkaChaos.Experiments;
using YamlDotNet.RepresentationModel;

namespace KafkaChaos.Bench;

/// <summary>
/// Reads a bench file (YAML, documented in docs/bench.md) into a <see cref="BenchPlan"/>. Strict like
/// experiment files: an unknown key, a wrong type or a value out of range fails the whole file before
/// a cluster starts, with file:line:column, the key and the value.
/// </summary>
public static class BenchFile
{
    private static readonly string[] Sections = ["name", "description", "brokers", "seed", "runs", "sweep"];
    private static readonly string[] RunKeys = ["alternations", "duration", "paced_duration", "paced_shares", "messages", "peers"];
    private static readonly string[] Axes = ["message_size", "acks", "linger_ms", "batch_size", "partitions", "replication_factor", "fault"];

    public static BenchPlan Load(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ExperimentConfigException($"bench file: '{path}' is not a path");
        }

        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new ExperimentConfigException($"{path}: no such bench file");
        }

        if (info.Length > YamlFile.MaxBytes)
        {
            throw new ExperimentConfigException($"{path}: {info.Length} bytes; bench files are limited to {YamlFile.MaxBytes} bytes");
        }

        return Parse(path, File.ReadAllText(path));
    }

    public static BenchPlan Parse(string path, string text)
    {
        var root = YamlFile.Root(path, text, "a bench file is one YAML mapping (brokers:, runs:, sweep:)");
        var yaml = new YamlFile(path);
        int brokers = 1, seed = 1;
        var runs = new RunsSection();
        YamlMappingNode? sweep = null;
        foreach (var (keyNode, value) in root.Children)
        {
            var key = yaml.Scalar(keyNode, "(key)");
            switch (key)
            {
                case "name" or "description":
                    yaml.Scalar(value, key);
                    break;
                case "brokers":
                    brokers = Int(yaml, value, key, 1, Cluster.ClusterSpec.MaxBrokers);
                    break;
                case "seed":
                    seed = Int(yaml, value, key, 0, int.MaxValue);
                    break;
                case "runs":
                    foreach (var (runKeyNode, runValue) in yaml.Mapping(value, key).Children)
                    {
                        ReadRunsKey(yaml, runs, runKeyNode, runValue);
                    }

                    break;
                case "sweep":
                    sweep = yaml.Mapping(value, key);
                    break;
                default:
                    throw yaml.Error(keyNode, $"unknown key '{key}'; a bench file has {string.Join(", ", Sections)}");
            }
        }

        if (sweep is null)
        {
            throw new ExperimentConfigException($"{path}: a bench file needs 'sweep:' with at least message_size");
        }

        var axes = SweepAxes(yaml, sweep);
        IReadOnlyList<BenchSweep.Value> Axis(string key, string fallback) => axes.TryGetValue(key, out var axis)
            ? [.. axis.Select(v => new BenchSweep.Value(yaml.Scalar(v, $"sweep.{key}"), yaml.At(v)))]
            : [new BenchSweep.Value(fallback, path)];

        var faults = axes.TryGetValue("fault", out var faultAxis)
            ? [.. faultAxis.Select(node => node is YamlScalarNode { Value: "none" }
                ? new BenchSweep.FaultValue(null, yaml.At(node))
                : BenchSweep.Fault(FaultEntry.Read(yaml.Mapping(node, "sweep.fault[]"), yaml, BenchPlan.DefaultFaultAt, BenchPlan.DefaultFaultDuration), yaml.At(node),
                    runs.RunDuration < runs.PacedDuration ? runs.RunDuration : runs.PacedDuration))]
            : new List<BenchSweep.FaultValue> { new(null, path) };
        var cells = BenchSweep.Cells(brokers, Axis("message_size", "100"), Axis("acks", "1"), Axis("linger_ms", "5"), Axis("batch_size", "default"),
            Axis("partitions", "3"), Axis("replication_factor", "1"), faults);
        return new BenchPlan(path, brokers, runs.Alternations, runs.RunDuration, runs.Messages, runs.PacedDuration, runs.PacedShares, seed, cells) { Peers = runs.Peers };
    }

    /// <summary>What the runs: section says, each unset key at its default.</summary>
    private sealed class RunsSection
    {
        public int Alternations { get; set; } = 3;

        public TimeSpan RunDuration { get; set; } = TimeSpan.FromSeconds(3);

        public TimeSpan PacedDuration { get; set; } = TimeSpan.FromSeconds(3);

        public IReadOnlyList<double> PacedShares { get; set; } = BenchPlan.DefaultPacedShares;

        public long? Messages { get; set; }

        public bool Peers { get; set; }
    }

    private static void ReadRunsKey(YamlFile yaml, RunsSection runs, YamlNode runKeyNode, YamlNode runValue)
    {
        var runKey = yaml.Scalar(runKeyNode, "runs");
        switch (runKey)
        {
            case "alternations":
                runs.Alternations = Int(yaml, runValue, "runs.alternations", BenchPlan.MinAlternations, BenchPlan.MaxAlternations);
                break;
            case "duration":
                runs.RunDuration = Duration(yaml, runValue, "runs.duration", BenchPlan.MinRunDuration, BenchPlan.MaxRunDuration);
                break;
            case "paced_duration":
                runs.PacedDuration = Duration(yaml, runValue, "runs.paced_duration", BenchPlan.MinRunDuration, BenchPlan.MaxRunDuration);
                break;
            case "paced_shares":
                runs.PacedShares = runValue is YamlSequenceNode { Children.Count: > 0 } shares
                    ? [.. shares.Children.Select(n => BenchPlan.TryParseShare(yaml.Scalar(n, "runs.paced_shares"), out var share)
                        ? share
                        : throw yaml.Error(n, $"key 'runs.paced_shares' has value '{yaml.Scalar(n, "runs.paced_shares")}'; expected a share of the maximum rate above 0 and at most 1, such as 0.5 or 50%"))]
                    : throw yaml.Error(runValue, "key 'runs.paced_shares' takes a list of shares of the maximum rate, such as [0.1, 0.5, 0.8]");
                break;
            case "messages":
                runs.Messages = Int(yaml, runValue, "runs.messages", BenchPlan.MinMessages, BenchPlan.MaxMessages);
                break;
            case "peers":
                runs.Peers = yaml.Scalar(runValue, "runs.peers") switch
                {
                    "true" => true,
                    "false" => false,
                    var other => throw yaml.Error(runValue, $"key 'runs.peers' has value '{other}'; expected true or false"),
                };
                break;
            default:
                throw yaml.Error(runKeyNode, $"unknown key 'runs.{runKey}'; runs has {string.Join(", ", RunKeys)}");
        }
    }

    /// <summary>Each axis of the sweep and its values; a single value is a one-value axis.</summary>
    private static Dictionary<string, IReadOnlyList<YamlNode>> SweepAxes(YamlFile yaml, YamlMappingNode sweep)
    {
        var axes = new Dictionary<string, IReadOnlyList<YamlNode>>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in sweep.Children)
        {
            var key = yaml.Scalar(keyNode, "sweep");
            if (!Axes.Contains(key))
            {
                throw yaml.Error(keyNode, $"unknown key 'sweep.{key}'; a sweep has {string.Join(", ", Axes)}");
            }

            IReadOnlyList<YamlNode> values = value is YamlSequenceNode list ? [.. list.Children] : [value];
            if (values.Count == 0)
            {
                throw yaml.Error(value, $"key 'sweep.{key}' is an empty list");
            }

            axes[key] = values;
        }

        return axes;
    }

    private static int Int(YamlFile yaml, YamlNode node, string key, int min, int max) =>
        int.TryParse(yaml.Scalar(node, key), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw yaml.Error(node, $"key '{key}' has value '{yaml.Scalar(node, key)}'; expected a whole number {min}..{max}");

    private static TimeSpan Duration(YamlFile yaml, YamlNode node, string key, TimeSpan min, TimeSpan max) =>
        KafkaChaos.Experiments.Settings.SettingKinds.TryParseDuration(yaml.Scalar(node, key), out var value) && value >= min && value <= max
            ? value
            : throw yaml.Error(node, $"key '{key}' has value '{yaml.Scalar(node, key)}'; expected a duration {min.TotalSeconds:0.###} s..{max.TotalMinutes:0} min, such as 3s");
}
