namespace KafkaChaos.Journal;

/// <summary>The journal's spelling of <see cref="ProduceStatus"/>, shared with the JSON-lines history format.</summary>
public static class ProduceStatusNames
{
    public static string ToName(ProduceStatus status) => status switch
    {
        ProduceStatus.Acked => "acked",
        ProduceStatus.Failed => "failed",
        ProduceStatus.Unknown => "unknown",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse(string? name, out ProduceStatus status)
    {
        switch (name)
        {
            case "acked": status = ProduceStatus.Acked; return true;
            case "failed": status = ProduceStatus.Failed; return true;
            case "unknown": status = ProduceStatus.Unknown; return true;
            default: status = default; return false;
        }
    }
}
