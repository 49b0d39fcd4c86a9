namespace KafkaChaos.Bench;

/// <summary>
/// One scale point measured: the raw client and the harness each sending every message and reading it
/// back (<see cref="ScalePhase"/>), then the harness's own extra work: the final read of the whole topic,
/// the journal it left per message, and the verify of that journal.
/// </summary>
/// <param name="Point">Where in the sweep.</param>
/// <param name="Raw">The raw client sending and reading back every message.</param>
/// <param name="Harness">The harness doing the same, journalling and checking every message.</param>
/// <param name="FinalRead">The harness's final read of the whole topic.</param>
/// <param name="JournalBytesPerMessage">The run directory's size after the final read, per message.</param>
/// <param name="Verify">Reading that journal and checking it.</param>
/// <param name="Exact">The verify counted every message sent, acknowledged and in the final log, with nothing lost or duplicated.</param>
public sealed record ScaleResult(ScalePoint Point, ScalePhase Raw, ScalePhase Harness, ScalePhase FinalRead, double JournalBytesPerMessage, ScalePhase Verify, bool Exact)
{
    /// <summary>The figures whose growth the report classifies, each as a total over the point's messages.</summary>
    public IReadOnlyList<(string Name, double Total)> Totals() =>
    [
        ("raw CPU", Raw.CpuMicrosPerMessage * Point.Messages),
        ("harness CPU", Harness.CpuMicrosPerMessage * Point.Messages),
        ("raw peak memory", Raw.PeakWorkingSetBytes),
        ("harness peak memory", Harness.PeakWorkingSetBytes),
        ("journal bytes", JournalBytesPerMessage * Point.Messages),
        ("verify time", Verify.Seconds),
        ("final read time", FinalRead.Seconds),
    ];
}
