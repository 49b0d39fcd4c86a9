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

        if (info.Length > ExperimentFile.MaxBytes)
        {
            throw new ExperimentConfigException($"{path}: {info.Length} bytes; bench files are limited to {ExperimentFile.MaxBytes} bytes");
        }

        return Parse(path, File.ReadAllText(path));
    }

    public static BenchPlan Parse(string path, string text)
    {
        var root = ExperimentFile.Root(path, text, "a bench file is one YAML mapping (brokers:, runs:, sweep:)");
        var yaml = new YamlFile(path);
        Func<YamlNode, string> At = yaml.At;
        Func<YamlNode, string, ExperimentConfigException> Error = yaml.Error;
        Func<YamlNode, string, string> Scalar = yaml.Scalar;
        Func<YamlNode, string, YamlMappingNode> Mapping = yaml.Mapping;
        int Int(YamlNode node, string key, int min, int max) =>
            int.TryParse(Scalar(node, key), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? value
                : throw Error(node, $"key '{key}' has value '{Scalar(node, key)}'; expected a whole number {min}..{max}");
        TimeSpan Duration(YamlNode node, string key, TimeSpan min, TimeSpan max) =>
            SettingCatalog.TryParseDuration(Scalar(node, key), out var value) && value >= min && value <= max
                ? value
                : throw Error(node, $"key '{key}' has value '{Scalar(node, key)}'; expected a duration {min.TotalSeconds:0.###} s..{max.TotalMinutes:0} min, such as 3s");

        int brokers = 1, seed = 1, alternations = 3;
        TimeSpan runDuration = TimeSpan.FromSeconds(3), pacedDuration = TimeSpan.FromSeconds(3);
        long? messages = null;
        var peers = false;
        var pacedShares = BenchPlan.DefaultPacedShares;
        YamlMappingNode? sweep = null;
        foreach (var (keyNode, value) in root.Children)
        {
            var key = Scalar(keyNode, "(key)");
            switch (key)
            {
                case "name" or "description":
                    Scalar(value, key);
                    break;
                case "brokers":
                    brokers = Int(value, key, 1, Cluster.ClusterSpec.MaxBrokers);
                    break;
                case "seed":
                    seed = Int(value, key, 0, int.MaxValue);
                    break;
                case "runs":
                    foreach (var (runKeyNode, runValue) in Mapping(value, key).Children)
                    {
                        var runKey = Scalar(runKeyNode, "runs");
                        switch (runKey)
                        {
                            case "alternations":
                                alternations = Int(runValue, "runs.alternations", BenchPlan.MinAlternations, BenchPlan.MaxAlternations);
                                break;
                            case "duration":
                                runDuration = Duration(runValue, "runs.duration", BenchPlan.MinRunDuration, BenchPlan.MaxRunDuration);
                                break;
                            case "paced_duration":
                                pacedDuration = Duration(runValue, "runs.paced_duration", BenchPlan.MinRunDuration, BenchPlan.MaxRunDuration);
                                break;
                            case "paced_shares":
                                pacedShares = runValue is YamlSequenceNode { Children.Count: > 0 } shares
                                    ? [.. shares.Children.Select(n => BenchPlan.TryParseShare(Scalar(n, "runs.paced_shares"), out var share)
                                        ? share
                                        : throw Error(n, $"key 'runs.paced_shares' has value '{Scalar(n, "runs.paced_shares")}'; expected a share of the maximum rate above 0 and at most 1, such as 0.5 or 50%"))]
                                    : throw Error(runValue, "key 'runs.paced_shares' takes a list of shares of the maximum rate, such as [0.1, 0.5, 0.8]");
                                break;
                            case "messages":
                                messages = Int(runValue, "runs.messages", BenchPlan.MinMessages, BenchPlan.MaxMessages);
                                break;
                            case "peers":
                                peers = Scalar(runValue, "runs.peers") switch
                                {
                                    "true" => true,
                                    "false" => false,
                                    var other => throw Error(runValue, $"key 'runs.peers' has value '{other}'; expected true or false"),
                                };
                                break;
                            default:
                                throw Error(runKeyNode, $"unknown key 'runs.{runKey}'; runs has {string.Join(", ", RunKeys)}");
                        }
                    }

                    break;
                case "sweep":
                    sweep = Mapping(value, key);
                    break;
                default:
                    throw Error(keyNode, $"unknown key '{key}'; a bench file has {string.Join(", ", Sections)}");
            }
        }

        if (sweep is null)
        {
            throw new ExperimentConfigException($"{path}: a bench file needs 'sweep:' with at least message_size");
        }

        var axes = new Dictionary<string, (YamlNode Key, IReadOnlyList<YamlNode> Values)>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in sweep.Children)
        {
            var key = Scalar(keyNode, "sweep");
            if (!Axes.Contains(key))
            {
                throw Error(keyNode, $"unknown key 'sweep.{key}'; a sweep has {string.Join(", ", Axes)}");
            }

            // A single value is a one-value axis.
            IReadOnlyList<YamlNode> values = value is YamlSequenceNode list ? [.. list.Children] : [value];
            if (values.Count == 0)
            {
                throw Error(value, $"key 'sweep.{key}' is an empty list");
            }

            axes[key] = (keyNode, values);
        }

        IReadOnlyList<BenchSweep.Value> Axis(string key, string fallback) => axes.TryGetValue(key, out var axis)
            ? [.. axis.Values.Select(v => new BenchSweep.Value(Scalar(v, $"sweep.{key}"), At(v)))]
            : [new BenchSweep.Value(fallback, path)];

        var faults = axes.TryGetValue("fault", out var faultAxis)
            ? [.. faultAxis.Values.Select(node => node is YamlScalarNode { Value: "none" }
                ? new BenchSweep.FaultValue(null, At(node))
                : BenchSweep.Fault(ExperimentFile.ParseFault(Mapping(node, "sweep.fault[]"), Scalar, Error, BenchPlan.DefaultFaultAt, BenchPlan.DefaultFaultDuration), At(node),
                    runDuration < pacedDuration ? runDuration : pacedDuration))]
            : new List<BenchSweep.FaultValue> { new(null, path) };
        var cells = BenchSweep.Cells(brokers, Axis("message_size", "100"), Axis("acks", "1"), Axis("linger_ms", "5"), Axis("batch_size", "default"),
            Axis("partitions", "3"), Axis("replication_factor", "1"), faults);
        return new BenchPlan(path, brokers, alternations, runDuration, messages, pacedDuration, pacedShares, seed, cells) { Peers = peers };
    }
}
