namespace KafkaChaos.Journal;

/// <summary>The one spelling of <see cref="RunStatus"/>: the journal's end line, results.json and every report.</summary>
public static class RunStatusNames
{
    public static string ToName(RunStatus status) => status switch
    {
        RunStatus.Completed => "completed",
        RunStatus.Interrupted => "interrupted",
        RunStatus.Failed => "failed",
        RunStatus.Unsupported => "unsupported",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse(string? name, out RunStatus status)
    {
        foreach (var candidate in Enum.GetValues<RunStatus>())
        {
            if (ToName(candidate) == name)
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }
}
