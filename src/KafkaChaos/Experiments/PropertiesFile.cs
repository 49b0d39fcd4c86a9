using System.Globalization;
using System.Text;

namespace KafkaChaos.Experiments;

/// <summary>
/// A Java <c>.properties</c> file as an incident hands it over (a broker's <c>server.properties</c>, a client's
/// <c>producer.properties</c>), read into the flat settings a file or a flag gives, each named by its file and
/// line, so that every key is checked like any other setting. Read as <c>java.util.Properties</c> reads it:
/// <c>key=value</c>, <c>key: value</c> or <c>key value</c>; <c>#</c> and <c>!</c> comments; a trailing <c>\</c>
/// continuing the line; <c>\t</c>, <c>\n</c>, <c>\uXXXX</c> and escaped separators. A key given twice is refused:
/// Java would quietly keep the last, and an incident's file with two values says two things.
/// </summary>
public static class PropertiesFile
{
    /// <summary>Every key of the file under <paramref name="prefix"/> (<c>broker.</c>, <c>producer.</c>), with its value and <c>path:line</c>.</summary>
    /// <param name="path">The file, as given.</param>
    /// <param name="given">Where the file was named (a flag, or a file position), for when it cannot be read.</param>
    /// <param name="prefix">The settings' section, with its dot.</param>
    /// <exception cref="ExperimentConfigException">Naming the file and line, or where the file was named.</exception>
    public static Dictionary<string, (string Value, string Where)> Read(string path, string given, string prefix)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(prefix);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new ExperimentConfigException($"{given}: {path}: no such properties file");
        }

        if (info.Length > YamlFile.MaxBytes)
        {
            throw new ExperimentConfigException($"{path}: {info.Length} bytes; properties files are limited to {YamlFile.MaxBytes} bytes");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ExperimentConfigException($"{given}: {path}: {e.Message}");
        }

        return Parse(path, text, prefix);
    }

    /// <summary>The settings of <paramref name="text"/>, read as the file <paramref name="path"/>.</summary>
    public static Dictionary<string, (string Value, string Where)> Parse(string path, string text, string prefix)
    {
        ArgumentNullException.ThrowIfNull(text);
        var settings = new Dictionary<string, (string Value, string Where)>(StringComparer.Ordinal);
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var start = i + 1;
            var logical = lines[i].TrimStart(' ', '\t', '\f');
            if (logical.Length == 0 || logical[0] is '#' or '!')
            {
                continue;
            }

            while (EndsInContinuation(logical) && i + 1 < lines.Length)
            {
                logical = logical[..^1] + lines[++i].TrimStart(' ', '\t', '\f');
            }

            var (key, value) = Split(logical, path, start);
            if (key.Length == 0)
            {
                throw new ExperimentConfigException($"{path}:{start}: a line without a key");
            }

            if (firstLine.TryGetValue(key, out var first))
            {
                throw new ExperimentConfigException($"{path}:{start}: key '{key}' is given twice (first on line {first}); give it once");
            }

            firstLine[key] = start;
            settings[prefix + key] = (value, $"{path}:{start}");
        }

        return settings;
    }

    /// <summary>Adds a file's settings to those given otherwise; a key given both ways is refused, naming both places.</summary>
    /// <exception cref="ExperimentConfigException">At the file's line.</exception>
    public static void AddTo(Dictionary<string, (string Value, string Where)> settings, IReadOnlyDictionary<string, (string Value, string Where)> fromFile)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(fromFile);
        foreach (var (key, setting) in fromFile)
        {
            if (settings.TryGetValue(key, out var other))
            {
                throw new ExperimentConfigException($"{setting.Where}: {key} is also given at {other.Where}; give it once");
            }

            settings[key] = setting;
        }
    }

    /// <summary>An odd number of backslashes at the end: the last one continues the line.</summary>
    private static bool EndsInContinuation(string line)
    {
        var backslashes = 0;
        for (var i = line.Length - 1; i >= 0 && line[i] == '\\'; i--)
        {
            backslashes++;
        }

        return backslashes % 2 == 1;
    }

    /// <summary>The key up to the first unescaped '=', ':' or whitespace, then the value after the separator.</summary>
    private static (string Key, string Value) Split(string line, string path, int number)
    {
        var key = new StringBuilder();
        var i = 0;
        for (; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length)
            {
                key.Append(Unescape(line, ref i, path, number));
                continue;
            }

            if (c is '=' or ':' or ' ' or '\t' or '\f')
            {
                break;
            }

            key.Append(c);
        }

        // Whitespace, then at most one '=' or ':', then whitespace, separate the key from the value.
        while (i < line.Length && line[i] is ' ' or '\t' or '\f')
        {
            i++;
        }

        if (i < line.Length && line[i] is '=' or ':')
        {
            i++;
        }

        while (i < line.Length && line[i] is ' ' or '\t' or '\f')
        {
            i++;
        }

        var value = new StringBuilder();
        for (; i < line.Length; i++)
        {
            value.Append(line[i] == '\\' && i + 1 < line.Length ? Unescape(line, ref i, path, number) : line[i].ToString());
        }

        return (key.ToString(), value.ToString());
    }

    /// <summary>The escape at <paramref name="i"/> (a backslash), leaving <paramref name="i"/> on its last character.</summary>
    private static string Unescape(string line, ref int i, string path, int number)
    {
        var c = line[++i];
        switch (c)
        {
            case 't':
                return "\t";
            case 'n':
                return "\n";
            case 'r':
                return "\r";
            case 'f':
                return "\f";
            case 'u':
                if (line.Length - i - 1 >= 4 && int.TryParse(line.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                {
                    i += 4;
                    return ((char)code).ToString();
                }

                throw new ExperimentConfigException($"{path}:{number}: '\\u' is not followed by four hex digits");
            default:
                return c.ToString();
        }
    }
}
