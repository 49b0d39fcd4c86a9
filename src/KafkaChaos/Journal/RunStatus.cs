namespace KafkaChaos.Journal;

/// <summary>How a run, or one cell of it, ended; only a completed run's counts can be a verdict.</summary>
public enum RunStatus
{
    /// <summary>Ran to its end, final read included.</summary>
    Completed,

    /// <summary>Stopped by Ctrl-C or SIGTERM: what was journalled is kept, with no final read.</summary>
    Interrupted,

    /// <summary>Stopped by a failure of the tool or its infrastructure, journalled with its cause.</summary>
    Failed,

    /// <summary>Never run: the broker version cannot do what the cell asks (idempotence on 0.9).</summary>
    Unsupported,
}
