using KafkaChaos.Cluster;
using KafkaChaos.Experiments;
using KafkaChaos.Journal;

namespace KafkaChaos.Cli;

/// <summary>Turns the library's failures into one-line messages and exit codes; never a stack trace.</summary>
public static class CliErrors
{
    public static async Task<int> GuardAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("kafka-chaos: interrupted; resources removed");
            return ExitCodes.Interrupted;
        }
        catch (ExperimentConfigException e)
        {
            Console.Error.WriteLine($"kafka-chaos: config error: {OneLine(e.Message)}");
            return ExitCodes.UsageOrConfig;
        }
        catch (ClusterConfigException e)
        {
            Console.Error.WriteLine($"kafka-chaos: config error: {OneLine(e.Message)}");
            return ExitCodes.UsageOrConfig;
        }
        catch (JournalFormatException e)
        {
            Console.Error.WriteLine($"kafka-chaos: {OneLine(e.Message)}");
            return ExitCodes.UsageOrConfig;
        }
        catch (InfrastructureException e)
        {
            Console.Error.WriteLine($"kafka-chaos: infrastructure error: {OneLine(e.Message)}");
            return ExitCodes.Infrastructure;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug of the tool's own: still one line and a non-zero exit, never a stack trace; what it
            // started has been removed by the disposals on the way out.
            Console.Error.WriteLine($"kafka-chaos: internal error ({e.GetType().Name}): {OneLine(e.Message)}; please report it");
            return ExitCodes.Infrastructure;
        }
    }

    /// <summary>
    /// A message as one line: a cause may quote what it could not read (a damaged file's bytes, a
    /// parser's view of them), and a line break or control character there must not split the line.
    /// </summary>
    public static string OneLine(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return string.Concat(message.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString())).Trim();
    }
}
