using System.Text.Json;
using System.Text.Json.Serialization;

namespace KafkaChaos.Reporting;

/// <summary>Writes and reads results.json with snake_case names, as docs/results.md documents them.</summary>
public static class ResultsJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static void Write(string runDirectory, ResultsDocument document)
    {
        Reports.WriteAtomically(Path.Combine(runDirectory, ResultsDocument.FileName), JsonSerializer.Serialize(document, Options) + "\n");
    }

    public static ResultsDocument? Read(string runDirectory)
    {
        var path = Path.Combine(runDirectory, ResultsDocument.FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ResultsDocument>(File.ReadAllText(path), Options);
        }
        catch (JsonException e)
        {
            throw new Journal.JournalFormatException($"{path}: not a results document ({e.Message})");
        }
    }
}
