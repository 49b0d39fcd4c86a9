namespace KafkaChaos.Cli;

/// <summary>The tool's exit codes, for CI scripts.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int ExpectationViolated = 1;
    public const int UsageOrConfig = 2;
    public const int Infrastructure = 3;
    public const int Interrupted = 130;
}
