using System.CommandLine;
using KafkaChaos.Cluster;

namespace KafkaChaos.Cli;

/// <summary><c>kafka-chaos cluster down</c>: removes what runs left behind.</summary>
public static class ClusterCommand
{
    public static Command Create(CancellationToken interrupt)
    {
        var all = new Option<bool>("--all") { Description = "remove every labelled container and network, including those of runs still alive" };
        var down = new Command("down", "Remove stale (or, with --all, every) kafka-chaos containers and networks") { all };
        down.SetAction(async (parse, _) => await CliErrors.GuardAsync(async () =>
        {
            using var engine = await DockerEngine.ConnectAsync(interrupt);
            var (containers, networks) = await new ResourceSweeper(engine).SweepAsync(parse.GetValue(all), interrupt);
            Console.WriteLine($"removed {containers} container(s) and {networks} network(s)");
            return ExitCodes.Ok;
        }));
        return new Command("cluster", "Clusters started by kafka-chaos") { down };
    }
}
