using System.Diagnostics;
using System.Globalization;
using KafkaChaos.Tests;
using NUnit.Framework;

namespace KafkaChaos.ClusterTests;

/// <summary>The built kafka-chaos binary as a user runs it: started, signalled, waited for.</summary>
internal static class CliProcess
{
    public static Process Start(params string[] arguments) => Start(new Dictionary<string, string>(), arguments);

    public static Process Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var cli = Path.Combine(RepositoryPaths.Root(), "src/KafkaChaos.Cli/bin/Release/net10.0/kafka-chaos");
        Assert.That(File.Exists(cli), Is.True, $"{cli} is built by 'make build'");
        var start = new ProcessStartInfo(cli) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["CI"] = "true";
        // No test may ask a registry: a run given an image the engine lacks says so instead of pulling it.
        start.Environment["KAFKA_CHAOS_PULL"] = "never";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    public static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments) =>
        RunAsync(new Dictionary<string, string>(), arguments);

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var process = Start(environment, arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5), TimeProvider.System);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>
    /// Reads <paramref name="process"/>'s standard error until a line contains <paramref name="text"/>, so that a
    /// test acts when the run is where it needs it instead of after a fixed sleep; returns what was read, and
    /// fails if the process ends or <paramref name="limit"/> passes first.
    /// </summary>
    public static async Task<string> ReadErrorUntilAsync(Process process, string text, TimeSpan limit)
    {
        var lines = new System.Text.StringBuilder();
        while (await process.StandardError.ReadLineAsync().WaitAsync(limit, TimeProvider.System) is { } line)
        {
            lines.AppendLine(line);
            if (line.Contains(text, StringComparison.Ordinal))
            {
                return lines.ToString();
            }
        }

        Assert.Fail($"the process ended before it wrote \"{text}\":\n{lines}");
        return "";
    }

    public static async Task SignalAsync(Process process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }
}
