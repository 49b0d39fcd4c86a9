namespace KafkaChaos.Reporting;

/// <summary>What a cell's outcome means for the user, in one word shared by the console and every report.</summary>
public enum CellVerdict
{
    /// <summary>Completed, valid, every expectation met.</summary>
    Pass,

    /// <summary>Completed and valid, with an expectation violated.</summary>
    /// <summary>Ran to its end, valid, with nothing expected of it: counts without a verdict.</summary>
    NoExpectations,

    Fail,

    /// <summary>Completed, but its counts cannot be a verdict (a fault not applied, a final read that fell short).</summary>
    Invalid,

    /// <summary>Not run on this broker version.</summary>
    Unsupported,

    /// <summary>Stopped by the user before it completed.</summary>
    Interrupted,

    /// <summary>Stopped by a failure of the tool or its infrastructure.</summary>
    Failed,
}
