using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KafkaChaos.Experiments;

/// <summary>
/// The shape checks every strict YAML file of the tool (experiment files, bench files) makes, each
/// failing with file:line:column and the key, so a wrong type never gets past the reader.
/// </summary>
internal sealed class YamlFile(string path)
{
    /// <summary>The tool's YAML files are small; anything bigger is a mistake or an attack.</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>Parses <paramref name="text"/> as one YAML mapping; syntax errors name the file, line and column.</summary>
    /// <param name="path">For messages.</param>
    /// <param name="text">The file's text.</param>
    /// <param name="what">What the file should look like, for the message when it is not a mapping.</param>
    public static YamlMappingNode Root(string path, string text, string what)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var message = e.InnerException is { } inner && e.Message.Contains("exception", StringComparison.OrdinalIgnoreCase) ? inner.Message : e.Message;
            throw new ExperimentConfigException($"{path}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {message.Split('\n')[0]}");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            // The parser's own state errors on some malformed input (found by the fuzz test): still just bad YAML.
            throw new ExperimentConfigException($"{path}: not valid YAML: {e.Message.Split('\n')[0]}");
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ExperimentConfigException($"{path}: {what}");
        }

        return root;
    }

    public string At(YamlNode node) => $"{path}:{node.Start.Line}:{node.Start.Column}";

    public ExperimentConfigException Error(YamlNode node, string message) => new($"{At(node)}: {message}");

    public string Scalar(YamlNode node, string key) => node is YamlScalarNode { Value: { } value }
        ? value
        : throw Error(node, $"key '{key}' must be a single value, not a {(node is YamlMappingNode ? "mapping" : "list")}");

    public YamlMappingNode Mapping(YamlNode node, string key) => node as YamlMappingNode ?? throw Error(node, $"key '{key}' must be a mapping of keys to values");

    public YamlSequenceNode Sequence(YamlNode node, string key) => node as YamlSequenceNode ?? throw Error(node, $"key '{key}' must be a list");
}
