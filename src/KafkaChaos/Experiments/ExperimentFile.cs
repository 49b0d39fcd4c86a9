using System.Globalization;
using KafkaChaos.Faults;
using YamlDotNet.RepresentationModel;

namespace KafkaChaos.Experiments;

/// <summary>
/// Reads an experiment file (YAML, documented in experiments/README.md) into an
/// <see cref="ExperimentPlan"/>: sections flattened to <see cref="SettingCatalog"/> keys, the matrix
/// expanded (Cartesian product minus <c>exclude</c>, times <c>repetitions</c>), each cell's spec built
/// and checked, and expectations attached.
/// </summary>
/// <remarks>
/// Strict by design: an unknown key, a wrong type, a value out of range or an impossible combination
/// fails the whole file before anything starts, with file:line:column, the key and the value
/// (<see cref="ExperimentConfigException"/>, exit code 2). Checks that depend on the broker version
/// (idempotence on 0.9) are not errors: such cells are reported unsupported when the version is known.
/// </remarks>
public static class ExperimentFile
{
    /// <summary>Experiment files are small; anything bigger is a mistake or an attack.</summary>
    public const int MaxBytes = YamlFile.MaxBytes;

    public const int MaxCells = 1000;

    private static readonly string[] Sections =
        ["name", "description", "cluster", "topic", "workload", "producer", "consumer", "broker", "broker_config_file", "producer_config_file", "nemesis", "faults", "seed", "matrix", "exclude",
            "repetitions", "expectations"];

    public static ExperimentPlan Load(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ExperimentConfigException($"experiment file: '{path}' is not a path");
        }

        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new ExperimentConfigException($"{path}: no such experiment file");
        }

        if (info.Length > MaxBytes)
        {
            throw new ExperimentConfigException($"{path}: {info.Length} bytes; experiment files are limited to {MaxBytes} bytes");
        }

        return Parse(path, File.ReadAllText(path));
    }

    public static ExperimentPlan Parse(string path, string text)
    {
        var root = YamlFile.Root(path, text, "an experiment file is one YAML mapping (name:, cluster:, topic:, ...)");
        var draft = new FileDraft(path);
        foreach (var (keyNode, value) in root.Children)
        {
            draft.Read(keyNode, value);
        }

        return draft.Plan();
    }

    /// <summary>What a file has said so far, one top-level key at a time, and the plan it expands to.</summary>
    private sealed class FileDraft(string path)
    {
        private readonly YamlFile _yaml = new(path);
        private readonly Dictionary<string, (string Value, string Where)> _settings = new(StringComparer.Ordinal);
        private readonly List<Dictionary<string, (string Value, string Where)>> _propertiesFiles = [];
        private readonly List<FaultSpec> _faults = [];
        private readonly List<(string Key, List<(string Value, string Where)> Values)> _axes = [];
        private readonly List<(Dictionary<string, string> Match, string Where)> _excludes = [];
        private readonly List<Expectation> _expectations = [];
        private string _name = Path.GetFileNameWithoutExtension(path);
        private string _description = "";
        private int? _seed;
        private string? _image, _version, _attach;
        private int _repetitions = 1;

        public void Read(YamlNode keyNode, YamlNode value)
        {
            var key = Scalar(keyNode, "(key)");
            switch (key)
            {
                case "name":
                    ReadName(value);
                    break;
                case "description":
                    _description = Scalar(value, key);
                    break;
                case "seed":
                    _seed = int.TryParse(Scalar(value, key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s)
                        ? s : throw Error(value, $"key 'seed' has value '{Scalar(value, key)}'; expected a 32-bit whole number");
                    break;
                case "repetitions":
                    _repetitions = int.TryParse(Scalar(value, key), NumberStyles.None, CultureInfo.InvariantCulture, out var r) && r is >= 1 and <= 100
                        ? r : throw Error(value, $"key 'repetitions' has value '{Scalar(value, key)}'; expected 1..100");
                    break;
                case "cluster" or "topic" or "workload" or "consumer" or "nemesis" or "producer" or "broker":
                    foreach (var (fieldNode, fieldValue) in Mapping(value, key).Children)
                    {
                        ReadSetting(key, fieldNode, fieldValue);
                    }

                    break;
                case "broker_config_file" or "producer_config_file":
                    // A path relative to the experiment file, as the incident's files sit beside it.
                    var named = Scalar(value, key);
                    var resolved = Path.IsPathRooted(named) ? named : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", named);
                    _propertiesFiles.Add(PropertiesFile.Read(resolved, $"{At(value)}: key '{key}'", key == "broker_config_file" ? "broker." : "producer."));
                    break;
                case "faults":
                    foreach (var item in Sequence(value, key).Children)
                    {
                        _faults.Add(FaultEntry.Read(Mapping(item, "faults[]"), _yaml));
                    }

                    break;
                case "matrix":
                    foreach (var (axisNode, valuesNode) in Mapping(value, key).Children)
                    {
                        ReadAxis(axisNode, valuesNode);
                    }

                    break;
                case "exclude":
                    foreach (var item in Sequence(value, key).Children)
                    {
                        ReadExclude(item);
                    }

                    break;
                case "expectations":
                    foreach (var item in Sequence(value, key).Children)
                    {
                        _expectations.AddRange(ParseExpectations(Mapping(item, "expectations[]"), Scalar, Mapping, Error));
                    }

                    break;
                default:
                    throw Error(keyNode, $"unknown key '{key}'; an experiment has {string.Join(", ", Sections)}");
            }
        }

        /// <summary>Every cell the matrix expands to, less the excluded, each checked and repeated as the file says.</summary>
        public ExperimentPlan Plan()
        {
            foreach (var properties in _propertiesFiles)
            {
                PropertiesFile.AddTo(_settings, properties);
            }

            if (_expectations.FirstOrDefault(e => e.AtLeast > _repetitions) is { } tooMany)
            {
                throw new ExperimentConfigException($"{path}: expectation '{tooMany}' asks for {tooMany.AtLeast} repetitions, but the file runs each cell {_repetitions} time(s) (key 'repetitions')");
            }

            var cells = new List<PlannedCell>();
            var combinations = _axes.Aggregate(
                (IEnumerable<IReadOnlyList<(string Key, string Value, string Where)>>)[[]],
                (acc, axis) => acc.SelectMany(prefix => axis.Values.Select(v => (IReadOnlyList<(string, string, string)>)[.. prefix, (axis.Key, v.Value, v.Where)])));
            foreach (var combination in combinations)
            {
                var axisValues = combination.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
                if (_excludes.Any(e => e.Match.All(m => axisValues.GetValueOrDefault(m.Key) == m.Value)))
                {
                    continue;
                }

                AddCells(cells, combination, axisValues);
            }

            if (cells.Count == 0)
            {
                throw new ExperimentConfigException($"{path}: exclude rules remove every cell of the matrix");
            }

            if (_attach is not null && _image is not null)
            {
                throw new ExperimentConfigException($"{path}: cluster.attach and cluster.image: an attached cluster runs the images it runs; give one of the two");
            }

            return new ExperimentPlan(_name, _description, path, cells, _image, _version, _attach);
        }

        private void AddCells(List<PlannedCell> cells, IReadOnlyList<(string Key, string Value, string Where)> combination, Dictionary<string, string> axisValues)
        {
            var settings = new Dictionary<string, (string Value, string Where)>(_settings, StringComparer.Ordinal);
            foreach (var (key, value, where) in combination)
            {
                settings[key] = (value, where);
            }

            var cellName = axisValues.Count == 0 ? _name : $"{_name}[{string.Join(",", axisValues.Select(a => $"{a.Key}={a.Value}"))}]";
            var spec = SettingCatalog.BuildSpec(cellName, settings, _faults, _seed);
            Check(spec, settings, path, cellName);
            var flat = settings.ToDictionary(s => s.Key, s => s.Value.Value, StringComparer.Ordinal);
            var applicable = _expectations.Where(e => e.AppliesTo(flat)).ToArray();
            for (var repetition = 1; repetition <= _repetitions; repetition++)
            {
                cells.Add(new PlannedCell(_repetitions == 1 ? cellName : $"{cellName}#{repetition}", spec, flat, axisValues, applicable, repetition));
                if (cells.Count > MaxCells)
                {
                    throw new ExperimentConfigException($"{path}: the matrix expands to more than {MaxCells} cells");
                }
            }
        }

        private string At(YamlNode node) => _yaml.At(node);

        private ExperimentConfigException Error(YamlNode node, string message) => _yaml.Error(node, message);

        private string Scalar(YamlNode node, string key) => _yaml.Scalar(node, key);

        private YamlMappingNode Mapping(YamlNode node, string key) => _yaml.Mapping(node, key);

        private YamlSequenceNode Sequence(YamlNode node, string key) => _yaml.Sequence(node, key);

        private void ReadName(YamlNode value)
        {
            var name = Scalar(value, "name");
            if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || name.StartsWith('.'))
            {
                throw Error(value, $"key 'name' has value '{name}'; expected 1..64 letters, digits, '-', '_' or '.', not starting with '.' (it names files)");
            }

            _name = name;
        }

        /// <summary>One key of a section: the cluster's image, attach target or version, else a setting of the catalog.</summary>
        private void ReadSetting(string section, YamlNode fieldNode, YamlNode fieldValue)
        {
            var flat = $"{section}.{Scalar(fieldNode, section)}";
            switch (flat)
            {
                case "cluster.image":
                    _image = Scalar(fieldValue, flat);
                    if (_image.Length is 0 or > 256 || _image.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
                    {
                        throw Error(fieldValue, $"key 'cluster.image' has value '{_image}'; expected an image name such as kafka-chaos/kafka:3.9.0-<digest>");
                    }

                    return;
                case "cluster.attach":
                    _attach = Scalar(fieldValue, flat);
                    if (_attach.Length is 0 or > 256 || _attach.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
                    {
                        throw Error(fieldValue, $"key 'cluster.attach' has value '{_attach}'; expected a compose project, a container label key=value or a cluster id");
                    }

                    return;
                case "cluster.version":
                    _version = Scalar(fieldValue, flat);
                    if (!Cluster.KafkaVersion.TryParse(_version, out _) && !System.Text.RegularExpressions.Regex.IsMatch(_version, @"^\d+(\.\d+)?$"))
                    {
                        throw Error(fieldValue, $"key 'cluster.version' has value '{_version}'; expected a Kafka version such as 3.9 or 0.9.0.1");
                    }

                    return;
            }

            if (!SettingCatalog.IsKnown(flat))
            {
                throw Error(fieldNode, $"unknown key '{flat}'; {section} takes {string.Join(", ", SettingCatalog.Fixed.Keys.Where(k => k.StartsWith(section + ".", StringComparison.Ordinal)).Concat(section == "cluster" ? ["cluster.image", "cluster.version", "cluster.attach"] : []))}");
            }

            _settings[flat] = (Scalar(fieldValue, flat), At(fieldValue));
        }

        private void ReadAxis(YamlNode axisNode, YamlNode valuesNode)
        {
            var axis = Scalar(axisNode, "matrix");
            if (!SettingCatalog.IsKnown(axis))
            {
                throw Error(axisNode, $"matrix axis '{axis}' is not a setting; axes are {string.Join(", ", SettingCatalog.Fixed.Keys)}, producer.<key> or broker.<key>");
            }

            var values = Sequence(valuesNode, axis).Children.Select(v => (Scalar(v, axis), At(v))).ToList();
            if (values.Count == 0 || values.Select(v => v.Item1).Distinct().Count() != values.Count)
            {
                throw Error(valuesNode, $"matrix axis '{axis}' needs one or more distinct values");
            }

            _axes.Add((axis, values));
        }

        private void ReadExclude(YamlNode item)
        {
            var match = Mapping(item, "exclude[]").Children.ToDictionary(kv => Scalar(kv.Key, "exclude"), kv => Scalar(kv.Value, "exclude"), StringComparer.Ordinal);
            if (match.Keys.FirstOrDefault(k => _axes.All(a => a.Key != k)) is { } unknownAxis)
            {
                throw Error(item, $"exclude names '{unknownAxis}', which is not a matrix axis (declare the matrix first)");
            }

            _excludes.Add((match, At(item)));
        }
    }

    /// <summary>Combinations that cannot work whatever the broker version, checked before anything starts.</summary>
    /// <exception cref="ExperimentConfigException">Naming where the offending setting came from.</exception>
    private static void Check(ExperimentSpec spec, IReadOnlyDictionary<string, (string Value, string Where)> settings, string path, string cell)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (ExperimentSpecValidator.Problem(spec) is { } problem)
        {
            var where = settings.TryGetValue(problem.Setting, out var given) ? given.Where : path;
            throw new ExperimentConfigException($"{where}: cell {cell}: {problem}");
        }
    }

    private static IEnumerable<Expectation> ParseExpectations(YamlMappingNode node, Func<YamlNode, string, string> scalar,
        Func<YamlNode, string, YamlMappingNode> mapping, Func<YamlNode, string, ExperimentConfigException> error)
    {
        var when = new Dictionary<string, string>(StringComparer.Ordinal);
        YamlMappingNode? expect = null;
        int? atLeast = null;
        KafkaVersionBound? version = null;
        foreach (var (keyNode, value) in node.Children)
        {
            switch (scalar(keyNode, "expectations[]"))
            {
                case "when":
                    foreach (var (conditionKey, conditionValue) in mapping(value, "when").Children)
                    {
                        var key = scalar(conditionKey, "when");
                        if (!SettingCatalog.IsKnown(key))
                        {
                            throw error(conditionKey, $"'when' names '{key}', which is not a setting");
                        }

                        when[key] = scalar(conditionValue, key);
                    }

                    break;
                case "expect":
                    expect = mapping(value, "expect");
                    break;
                case "at_least":
                    atLeast = int.TryParse(scalar(value, "at_least"), NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k is >= 1 and <= 100
                        ? k : throw error(value, $"key 'at_least' has value '{scalar(value, "at_least")}'; expected how many repetitions must meet the bound, 1..repetitions");
                    break;
                case "kafka_version":
                    version = KafkaVersionBound.TryParse(scalar(value, "kafka_version"), out var bound)
                        ? bound : throw error(value, $"key 'kafka_version' has value '{scalar(value, "kafka_version")}'; expected a version bound such as \"<0.11\" or \">=0.11\"");
                    break;
                case var other:
                    throw error(keyNode, $"unknown key '{other}' in an expectation; it has 'when', 'kafka_version' (optional: which brokers), 'expect' and 'at_least' (optional: in how many repetitions)");
            }
        }

        if (expect is null)
        {
            throw error(node, "an expectation needs 'expect', e.g. expect: { lost: 0 }");
        }

        foreach (var (countNode, boundNode) in expect.Children)
        {
            var count = scalar(countNode, "expect");
            if (!Expectation.Counts.Contains(count))
            {
                throw error(countNode, $"'{count}' is not a ledger count; counts are {string.Join(", ", Expectation.Counts)}");
            }

            var bound = scalar(boundNode, count);
            if (!Expectation.TryParseBound(bound, out var op, out var number))
            {
                throw error(boundNode, $"key '{count}' has value '{bound}'; expected a bound such as 0, \">0\", \">=1\" or \"<=5\"");
            }

            yield return new Expectation(when, count, op, number) { AtLeast = atLeast, KafkaVersion = version };
        }
    }
}
