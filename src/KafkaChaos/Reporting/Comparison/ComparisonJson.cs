namespace KafkaChaos.Reporting.Comparison;

/// <summary>compare.json: the whole comparison, in results.json's naming (snake case, kebab-case enum names).</summary>
public static class ComparisonJson
{
    public const string FileName = "compare.json";

    public static string Render(RunComparison comparison) => ResultsJson.Serialize(comparison);
}
