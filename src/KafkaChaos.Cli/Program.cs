using System.CommandLine;
using System.Runtime.InteropServices;
using KafkaChaos.Cli;
using KafkaChaos.Workload;

using var interrupt = new CancellationTokenSource();
var interruptions = 0;
void OnSignal(PosixSignalContext context)
{
    // First signal: cancel, heal and tear down. A second one is left to the runtime and ends the process.
    if (Interlocked.Increment(ref interruptions) == 1)
    {
        context.Cancel = true;
        Console.Error.WriteLine("interrupted: tearing down (press Ctrl-C again to force)");
        interrupt.Cancel();
    }
}

// Redirected (a CI log, a file), the console has no width of its own and tables would wrap at 80
// columns into unreadable slivers; a log line can be as wide as the table needs.
if (Console.IsOutputRedirected)
{
    Spectre.Console.AnsiConsole.Profile.Width = 240;
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

var root = new RootCommand("kafka-chaos: end-to-end loss and duplication experiments for Apache Kafka")
{
    RunCommand.Create(interrupt.Token),
    CheckCommand.Create(),
    NewCommand.Create(),
    ExperimentsCommand.Create(),
    SettingsCommand.Create(),
    VerifyCommand.Create(),
    ReportCommand.Create(),
    CompareCommand.Create(),
    ReplayCommand.Create(interrupt.Token),
    ShrinkCommand.Create(interrupt.Token),
    ImageCommand.Create(interrupt.Token),
    ClusterCommand.Create(interrupt.Token),
    BenchCommand.Create(interrupt.Token),
    BenchScaleCommand.Create(interrupt.Token),
};
// Help stays readable at 100 columns, in a terminal or piped; value lists go into the descriptions,
// where they wrap, instead of into the option column, where the longest set every line's width.
foreach (var help in root.Options.OfType<System.CommandLine.Help.HelpOption>())
{
    help.Action = OptionGroups.Action();
}

var parsed = root.Parse(args);
if (args.Length == 0)
{
    Console.Error.WriteLine("kafka-chaos: give a command: run, check, experiments, verify, report, image, cluster or bench; 'kafka-chaos --help' lists them");
    return ExitCodes.UsageOrConfig;
}

if (parsed.Errors.Count > 0 || UsageErrors.MistypedOption(parsed) is not null)
{
    // A usage error is one line naming what was wrong, and exit 2, never the whole help page.
    Console.Error.WriteLine(UsageErrors.Describe(parsed, root));
    return ExitCodes.UsageOrConfig;
}

if (NativeClientLibrary.EnsureLoaded() is { } libraryProblem)
{
    Console.Error.WriteLine($"kafka-chaos: infrastructure error: {libraryProblem}");
    return ExitCodes.Infrastructure;
}

// The tool handles SIGINT/SIGTERM itself (above): System.CommandLine's own handler would kill the
// process two seconds after the signal, in the middle of tearing the cluster down.
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
