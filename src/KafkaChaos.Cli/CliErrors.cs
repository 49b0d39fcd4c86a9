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
            Console.Error.WriteLine($"kafka-chaos: config error: {e.Message}");
            return ExitCodes.UsageOrConfig;
        }
        catch (ClusterConfigException e)
        {
            Console.Error.WriteLine($"kafka-chaos: config error: {e.Message}");
            return ExitCodes.UsageOrConfig;
        }
        catch (JournalFormatException e)
        {
            Console.Error.WriteLine($"kafka-chaos: {e.Message}");
            return ExitCodes.UsageOrConfig;
        }
        catch (InfrastructureException e)
        {
            Console.Error.WriteLine($"kafka-chaos: infrastructure error: {e.Message}");
            return ExitCodes.Infrastructure;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug of the tool's own: still one line and a non-zero exit, never a stack trace; what it
            // started has been removed by the disposals on the way out.
            Console.Error.WriteLine($"kafka-chaos: internal error ({e.GetType().Name}): {e.Message.Split('\n')[0]}; please report it");
            return ExitCodes.Infrastructure;
        }
    }
}
