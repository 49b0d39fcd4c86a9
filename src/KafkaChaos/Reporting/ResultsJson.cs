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
        Converters = { new EnumNameConverter() },

        // A damaged file that nulled a field is damage, reported as such, not a null deep inside a report.
        RespectNullableAnnotations = true,
    };

    /// <summary>Any other document of the tool's (compare.json) in results.json's naming, so that a reader of one reads the other.</summary>
    internal static string Serialize<T>(T document) => JsonSerializer.Serialize(document, Options) + "\n";

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
            var document = JsonSerializer.Deserialize<ResultsDocument>(File.ReadAllText(path), Options);
            return document is null || MissingField(document) is not { } missing ? document
                : throw new Journal.JournalFormatException($"{path}: not a results document ({missing} is missing)");
        }
        catch (JsonException e)
        {
            throw new Journal.JournalFormatException($"{path}: not a results document ({Journal.JsonDamage.Describe(e)})");
        }
    }

    /// <summary>
    /// The first field a reader relies on that the file lacks: a damaged name (<c>"conf\u0012g"</c>) leaves
    /// the field unset, which no nullable annotation catches.
    /// </summary>
    private static string? MissingField(ResultsDocument document)
    {
        if (document.RunId is null || document.Cells is null)
        {
            return document.RunId is null ? "run_id" : "cells";
        }

        for (var i = 0; i < document.Cells.Count; i++)
        {
            var cell = document.Cells[i];
            var missing = cell is null ? "the cell"
                : cell.Name is null ? "name" : cell.Config is null ? "config" : cell.Counts is null ? "counts" : cell.Examples is null ? "examples"
                : cell.Faults is null ? "faults" : cell.Timeline is null ? "timeline" : cell.FaultsNotApplied is null ? "faults_not_applied" : null;
            if (missing is not null)
            {
                return $"cells[{i}].{missing}";
            }
        }

        return null;
    }
}
