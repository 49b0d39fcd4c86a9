using System.Text.Json;

namespace KafkaChaos.Journal;

/// <summary>
/// Reads journals and JSON-lines histories back into a <see cref="History"/>.
/// </summary>
/// <remarks>
/// A final line that is incomplete or unparsable is a torn write from a crash: it is dropped and the
/// history is marked truncated. Any earlier bad line means the file is not a journal (or was edited),
/// and reading fails with the file and line, because a verdict computed around it could be wrong.
/// </remarks>
public static class JournalReader
{
    public static RunJournal ReadRunDirectory(string runDirectory)
    {
        var path = Path.Combine(runDirectory, JournalWriter.FileName);
        if (!File.Exists(path))
        {
            throw new JournalFormatException($"{path}: no journal here; is '{runDirectory}' a run directory?");
        }

        string? runId = null;
        long startedMs = 0;
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        var produced = new List<ProduceOutcome>();
        var consumed = new List<ConsumedRecord>();
        var faults = new List<FaultEvent>();
        string? endStatus = null;

        var truncated = ForEachLine(path, (root, where) =>
        {
            var type = RequiredString(root, "type", where);
            switch (type)
            {
                case "run":
                    runId = RequiredString(root, "run_id", where);
                    startedMs = RequiredInt64(root, "ts_ms", where);
                    if (root.TryGetProperty("config", out var cfg) && cfg.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var property in cfg.EnumerateObject())
                        {
                            config[property.Name] = property.Value.GetString() ?? "";
                        }
                    }

                    break;
                case "produced":
                    produced.Add(ParseProduced(root, where));
                    break;
                case "consumed":
                    consumed.Add(ParseConsumed(root, where));
                    break;
                case "fault":
                    faults.Add(ParseFault(root, where));
                    break;
                case "end":
                    endStatus = RequiredString(root, "status", where);
                    break;
                default:
                    throw new JournalFormatException($"{where}: unknown record type '{type}'");
            }
        });

        if (runId is null)
        {
            throw new JournalFormatException($"{path}: the journal has no 'run' record; it is empty or not a journal");
        }

        return new RunJournal(runId, startedMs, config, new History(produced, consumed, faults, truncated), endStatus);
    }

    /// <summary>Reads histories written by another client, in the JSON-lines format of docs/journal.md.</summary>
    public static History ReadHistoryFiles(string producedPath, string consumedPath)
    {
        var produced = new List<ProduceOutcome>();
        var consumed = new List<ConsumedRecord>();
        var truncated = ForEachLine(producedPath, (root, where) => produced.Add(ParseProduced(root, where)));
        truncated |= ForEachLine(consumedPath, (root, where) => consumed.Add(ParseConsumed(root, where)));
        return new History(produced, consumed, [], truncated);
    }

    /// <returns>True when the last line was torn and dropped.</returns>
    private static bool ForEachLine(string path, Action<JsonElement, string> handle)
    {
        if (!File.Exists(path))
        {
            throw new JournalFormatException($"{path}: file not found");
        }

        using var reader = new StreamReader(path);
        var lineNumber = 0;
        string? line;
        string? pending = null;
        var pendingNumber = 0;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (pending is not null)
            {
                Parse(pending, $"{path}:{pendingNumber}", handle, strict: true);
            }

            pending = line;
            pendingNumber = lineNumber;
        }

        if (pending is null)
        {
            return false;
        }

        // The last line is complete only if the file ends in a newline and the line parses.
        var endsInNewline = EndsInNewline(path);
        if (!endsInNewline)
        {
            return true;
        }

        return !Parse(pending, $"{path}:{pendingNumber}", handle, strict: false);
    }

    private static bool Parse(string line, string where, Action<JsonElement, string> handle, bool strict)
    {
        if (line.Length == 0)
        {
            return true;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            if (strict)
            {
                throw new JournalFormatException($"{where}: not a JSON object ({e.Message})");
            }

            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new JournalFormatException($"{where}: expected a JSON object");
            }

            handle(document.RootElement, where);
        }

        return true;
    }

    private static bool EndsInNewline(string path)
    {
        using var stream = File.OpenRead(path);
        if (stream.Length == 0)
        {
            return true;
        }

        stream.Seek(-1, SeekOrigin.End);
        return stream.ReadByte() == '\n';
    }

    private static ProduceOutcome ParseProduced(JsonElement root, string where)
    {
        var statusName = RequiredString(root, "status", where);
        if (!ProduceStatusNames.TryParse(statusName, out var status))
        {
            throw new JournalFormatException($"{where}: key 'status' has value '{statusName}'; expected acked, failed or unknown");
        }

        return new ProduceOutcome(
            RequiredString(root, "producer", where),
            RequiredInt64(root, "seq", where),
            status,
            OptionalInt32(root, "partition", where),
            OptionalInt64(root, "offset", where),
            RequiredInt64(root, "ts_ms", where),
            OptionalString(root, "error"));
    }

    private static ConsumedRecord ParseConsumed(JsonElement root, string where) => new(
        RequiredString(root, "consumer", where),
        OptionalString(root, "producer"),
        OptionalInt64(root, "seq", where),
        OptionalInt32(root, "partition", where) ?? throw Missing("partition", where),
        OptionalInt64(root, "offset", where) ?? throw Missing("offset", where),
        RequiredInt64(root, "ts_ms", where),
        OptionalString(root, "error"));

    private static FaultEvent ParseFault(JsonElement root, string where)
    {
        var phaseName = RequiredString(root, "phase", where);
        if (!FaultPhaseNames.TryParse(phaseName, out var phase))
        {
            throw new JournalFormatException($"{where}: key 'phase' has unknown value '{phaseName}'");
        }

        return new FaultEvent(
            RequiredString(root, "fault", where),
            phase,
            RequiredString(root, "target", where),
            RequiredInt64(root, "ts_ms", where),
            OptionalString(root, "detail") ?? "");
    }

    private static JournalFormatException Missing(string key, string where) => new($"{where}: missing key '{key}'");

    private static string RequiredString(JsonElement root, string key, string where) =>
        OptionalString(root, key) ?? throw Missing(key, where);

    private static string? OptionalString(JsonElement root, string key) =>
        root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long RequiredInt64(JsonElement root, string key, string where) =>
        OptionalInt64(root, key, where) ?? throw Missing(key, where);

    private static long? OptionalInt64(JsonElement root, string key, string where)
    {
        if (!root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw new JournalFormatException($"{where}: key '{key}' has value {value.GetRawText()}; expected a whole number");
        }

        return number;
    }

    private static int? OptionalInt32(JsonElement root, string key, string where)
    {
        var number = OptionalInt64(root, key, where);
        if (number is null)
        {
            return null;
        }

        if (number is < int.MinValue or > int.MaxValue)
        {
            throw new JournalFormatException($"{where}: key '{key}' has value {number}, out of range");
        }

        return (int)number;
    }
}
