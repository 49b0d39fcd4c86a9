using System.Text.Json;

namespace KafkaChaos.Journal;

/// <summary>
/// Reads run directories and JSON-lines histories back into a <see cref="History"/>.
/// </summary>
/// <remarks>
/// A torn tail (an incomplete or unparsable last line, a last binary block cut short or failing its
/// CRC) is a write interrupted by a crash: it is dropped and the history is marked truncated. Damage
/// anywhere else means the file is not a journal (or was edited), and reading fails with the file and
/// position, because a verdict computed around it could be wrong.
/// </remarks>
public static class JournalReader
{
    /// <summary>Far above any real topic's partition count; the ledger indexes partitions by number.</summary>
    public const int MaxPartition = 1_000_000;

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
        var faults = new List<FaultEvent>();
        RunStatus? endStatus = null;
        string? endCause = null;
        var format = 1;
        FinalReadSummary? finalRead = null;
        GroupDrainSummary? drain = null;

        var truncated = ForEachLine(path, (root, where) =>
        {
            var type = RequiredString(root, "type", where);
            switch (type)
            {
                case JournalRecordTypes.Run:
                    format = (int)(OptionalInt64(root, "format", where) ?? 1);
                    if (format is < 1 or > JournalWriter.Format)
                    {
                        throw new JournalFormatException($"{where}: journal format {format} is not one this version reads (1 to {JournalWriter.Format}); a newer kafka-chaos wrote it");
                    }

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
                case JournalRecordTypes.Fault:
                    faults.Add(ParseFault(root, where));
                    break;
                case JournalRecordTypes.FinalRead:
                    finalRead = ParseFinalRead(root, where);
                    break;
                case JournalRecordTypes.Drain:
                    drain = new GroupDrainSummary(RequiredString(root, "status", where) == "caught-up", OptionalString(root, "detail") ?? "");
                    break;
                case JournalRecordTypes.End:
                    var endName = RequiredString(root, "status", where);
                    endStatus = EnumNames<RunStatus>.TryParse(endName, out var ended) ? ended
                        : throw new JournalFormatException($"{where}: key 'status' has value '{endName}'; expected {EnumNames<RunStatus>.Listed}");
                    endCause = OptionalString(root, "cause");
                    break;
                default:
                    throw new JournalFormatException($"{where}: unknown record type '{type}'");
            }
        });

        if (runId is null)
        {
            throw new JournalFormatException($"{path}: the journal has no 'run' record; it is empty or not a journal");
        }

        var producedPath = Path.Combine(runDirectory, JournalWriter.ProducedFileName);
        var consumedPath = Path.Combine(runDirectory, JournalWriter.ConsumedFileName);
        var (producedLength, producedTorn) = BlockReader.Scan(producedPath);
        var finalPath = Path.Combine(runDirectory, JournalWriter.FinalReadFileName);
        var (consumedLength, consumedTorn) = BlockReader.Scan(consumedPath);
        var (finalLength, finalTorn) = BlockReader.Scan(finalPath);
        var history = new History(
            ReadProduced(producedPath, producedLength),
            ReadConsumed(consumedPath, consumedLength),
            faults,
            truncated || producedTorn || consumedTorn || finalTorn)
        {
            FinalRead = ReadConsumed(finalPath, finalLength),
            // A final read whose records were torn off is not the whole log: it is judged incomplete.
            FinalReadEnd = finalRead is not null && finalTorn ? finalRead with { Complete = false, Detail = $"{finalPath} ends in a torn block" } : finalRead,
            Drain = drain,
            HasAssignments = format >= 2,
            // Only a run that died without its end line needs them: teardown journals every unreported send as unknown.
            StartedSends = endStatus is not null ? new Dictionary<int, long>() : StartedSends.Read(runDirectory,
                config.TryGetValue("workload.messages", out var messages) && long.TryParse(messages, System.Globalization.CultureInfo.InvariantCulture, out var total) ? total : long.MaxValue),
        };
        return new RunJournal(runId, startedMs, config, history, endStatus) { EndCause = endCause };
    }

    /// <summary>
    /// Reads histories written by another client, in the JSON-lines format of docs/journal.md. Producer
    /// and consumer names are mapped to ids in order of first appearance.
    /// </summary>
    public static History ReadHistoryFiles(string producedPath, string consumedPath)
    {
        var producers = new NameTable();
        var consumers = new NameTable();
        var produced = new List<ProduceOutcome>();
        var consumed = new List<ConsumedRecord>();
        var final = new List<ConsumedRecord>();
        var assignments = false;
        var truncated = ForEachLine(producedPath, (root, where) => produced.Add(ParseProduced(root, where, producers)));
        truncated |= ForEachLine(consumedPath, (root, where) =>
        {
            var (record, isFinal) = ParseConsumed(root, where, producers, consumers);
            assignments |= record.Kind.IsAssignmentChange();
            (isFinal ? final : consumed).Add(record);
        });
        return new History(produced, consumed, [], truncated, producers.Names)
        {
            FinalRead = final,
            FinalReadEnd = final.Count > 0 ? new FinalReadSummary(true, new Dictionary<int, long>(), final.Count, "final-read lines of the history") : null,
            HasAssignments = assignments,
        };
    }

    private static IEnumerable<ProduceOutcome> ReadProduced(string path, long validLength) =>
        ReadStream(path, validLength, static (ref RecordReader reader, ref DeltaState state) => ProducedCodec.Decode(ref reader, ref state));

    private static IEnumerable<ConsumedRecord> ReadConsumed(string path, long validLength) =>
        ReadStream(path, validLength, static (ref RecordReader reader, ref DeltaState state) => ConsumedCodec.Decode(ref reader, ref state));

    /// <summary>Decodes one block at a time, so a stream of any length is never held in memory.</summary>
    private static IEnumerable<T> ReadStream<T>(string path, long validLength, Decoder<T> decode)
    {
        var records = new List<T>();
        foreach (var (payload, length, count) in BlockReader.Blocks(path, validLength))
        {
            records.Clear();
            DecodeBlock(path, payload.AsSpan(0, length), count, records, decode);
            foreach (var record in records)
            {
                yield return record;
            }
        }
    }

    private delegate T Decoder<T>(ref RecordReader reader, ref DeltaState state);

    private static void DecodeBlock<T>(string path, ReadOnlySpan<byte> payload, int count, List<T> into, Decoder<T> decode)
    {
        var reader = new RecordReader(payload);
        var state = default(DeltaState);
        try
        {
            for (var i = 0; i < count; i++)
            {
                into.Add(decode(ref reader, ref state));
            }
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new JournalFormatException($"{path}: record {into.Count} of a block cannot be decoded ({e.Message})");
        }

        if (!reader.AtEnd)
        {
            throw new JournalFormatException($"{path}: a block holds more bytes than its {count} records");
        }
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

    private static ProduceOutcome ParseProduced(JsonElement root, string where, NameTable producers)
    {
        var statusName = RequiredString(root, "status", where);
        if (!EnumNames<ProduceStatus>.TryParse(statusName, out var status))
        {
            throw new JournalFormatException($"{where}: key 'status' has value '{statusName}'; expected acked, failed or unknown");
        }

        var partition = OptionalInt32(root, "partition", where);
        var offset = OptionalInt64(root, "offset", where);
        if (partition is < 0 or > MaxPartition || offset < 0)
        {
            throw new JournalFormatException($"{where}: partition must be 0..{MaxPartition} and offset not negative");
        }

        var hasPosition = status == ProduceStatus.Acked && partition is not null && offset is not null;
        return new ProduceOutcome(
            producers.IdOf(RequiredString(root, "producer", where)),
            NonNegative(RequiredInt64(root, "seq", where), "seq", where),
            status,
            hasPosition ? partition!.Value : ProduceOutcome.NoPosition,
            hasPosition ? offset!.Value : ProduceOutcome.NoPosition,
            RequiredInt64(root, "ts_ms", where));
    }

    /// <returns>The record, and whether it belongs to the final read.</returns>
    private static (ConsumedRecord Record, bool Final) ParseConsumed(JsonElement root, string where, NameTable producers, NameTable consumers)
    {
        var kind = ConsumeKind.Processed;
        if (OptionalString(root, "kind") is { } kindName && !EnumNames<ConsumeKind>.TryParse(kindName, out kind))
        {
            throw new JournalFormatException($"{where}: key 'kind' has value '{kindName}'; expected one of {EnumNames<ConsumeKind>.Listed}");
        }

        var consumer = consumers.IdOf(RequiredString(root, "consumer", where));
        var partition = OptionalInt32(root, "partition", where) is { } p and >= 0 and <= MaxPartition ? p : throw Missing("partition", where);
        var timestamp = RequiredInt64(root, "ts_ms", where);
        if (kind.IsAssignmentChange())
        {
            return (new ConsumedRecord(consumer, -1, -1, partition, -1, timestamp, kind), false);
        }

        var producerName = OptionalString(root, "producer");
        var sequence = OptionalInt64(root, "seq", where);
        var readable = kind != ConsumeKind.Unreadable && producerName is not null && sequence is not null;
        var record = new ConsumedRecord(
            consumer,
            readable ? producers.IdOf(producerName!) : -1,
            readable ? NonNegative(sequence!.Value, "seq", where) : -1,
            partition,
            OptionalInt64(root, "offset", where) is { } offset and >= 0 ? offset : throw Missing("offset", where),
            timestamp,
            readable ? kind : ConsumeKind.Unreadable);
        return (record, kind == ConsumeKind.FinalRead);
    }

    private static FinalReadSummary ParseFinalRead(JsonElement root, string where)
    {
        var ends = new Dictionary<int, long>();
        if (root.TryGetProperty("end_offsets", out var endOffsets) && endOffsets.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in endOffsets.EnumerateObject())
            {
                if (!int.TryParse(property.Name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var partition)
                    || property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt64(out var end))
                {
                    throw new JournalFormatException($"{where}: key 'end_offsets' has entry '{property.Name}': {property.Value.GetRawText()}; expected partition: offset");
                }

                ends[partition] = end;
            }
        }

        return new FinalReadSummary(RequiredString(root, "status", where) == "complete", ends, OptionalInt64(root, "records", where) ?? 0, OptionalString(root, "detail") ?? "");
    }

    private static long NonNegative(long value, string key, string where) =>
        value >= 0 ? value : throw new JournalFormatException($"{where}: key '{key}' has value {value}; expected 0 or more");

    private static FaultEvent ParseFault(JsonElement root, string where)
    {
        var phaseName = RequiredString(root, "phase", where);
        if (!EnumNames<FaultPhase>.TryParse(phaseName, out var phase))
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

    private static JournalFormatException Missing(string key, string where) => new($"{where}: missing key '{key}' (or it is negative)");

    /// <summary>Gives each distinct name an id, in order of first appearance.</summary>
    private sealed class NameTable
    {
        private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
        private readonly List<string> _names = [];

        public IReadOnlyList<string> Names => _names;

        public int IdOf(string name)
        {
            if (!_ids.TryGetValue(name, out var id))
            {
                id = _names.Count;
                _ids[name] = id;
                _names.Add(name);
            }

            return id;
        }
    }

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
