namespace KafkaChaos.Journal;

/// <summary>The journal's spelling of <see cref="FaultPhase"/>.</summary>
public static class FaultPhaseNames
{
    public static string ToName(FaultPhase phase) => phase switch
    {
        FaultPhase.Start => "start",
        FaultPhase.Verified => "verified",
        FaultPhase.NotApplied => "not-applied",
        FaultPhase.End => "end",
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, null),
    };

    public static bool TryParse(string? name, out FaultPhase phase)
    {
        switch (name)
        {
            case "start": phase = FaultPhase.Start; return true;
            case "verified": phase = FaultPhase.Verified; return true;
            case "not-applied": phase = FaultPhase.NotApplied; return true;
            case "end": phase = FaultPhase.End; return true;
            default: phase = default; return false;
        }
    }
}
