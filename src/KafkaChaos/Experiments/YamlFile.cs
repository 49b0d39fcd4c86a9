using YamlDotNet.RepresentationModel;

namespace KafkaChaos.Experiments;

/// <summary>
/// The shape checks every strict YAML file of the tool (experiment files, bench files) makes, each
/// failing with file:line:column and the key, so a wrong type never gets past the reader.
/// </summary>
internal sealed class YamlFile(string path)
{
    public string At(YamlNode node) => $"{path}:{node.Start.Line}:{node.Start.Column}";

    public ExperimentConfigException Error(YamlNode node, string message) => new($"{At(node)}: {message}");

    public string Scalar(YamlNode node, string key) => node is YamlScalarNode { Value: { } value }
        ? value
        : throw Error(node, $"key '{key}' must be a single value, not a {(node is YamlMappingNode ? "mapping" : "list")}");

    public YamlMappingNode Mapping(YamlNode node, string key) => node as YamlMappingNode ?? throw Error(node, $"key '{key}' must be a mapping of keys to values");

    public YamlSequenceNode Sequence(YamlNode node, string key) => node as YamlSequenceNode ?? throw Error(node, $"key '{key}' must be a list");
}
