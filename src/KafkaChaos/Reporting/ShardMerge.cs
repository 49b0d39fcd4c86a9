using KafkaChaos.Experiments;
using KafkaChaos.Journal;

namespace KafkaChaos.Reporting;

/// <summary>
/// <c>report merge</c>: the shards of one plan (<c>run --shard i/n</c> on n machines) as one run directory, with
/// one results.json, summary.md, junit.xml and report.html, as if one machine had run every cell. Shards keep each
/// cell's directory number in the whole plan, so their cells copy over side by side.
/// </summary>
/// <remarks>
/// Shards of different plans, tool versions or broker versions are refused: their cells would not be one
/// experiment's verdict. So is a set with a shard missing or given twice, which would pass for the whole plan.
/// </remarks>
public static class ShardMerge
{
    /// <exception cref="ExperimentConfigException">The shards do not make one whole plan, or <paramref name="outDirectory"/> holds files.</exception>
    public static ResultsDocument Merge(IReadOnlyList<(string Directory, ResultsDocument Results)> shards, string outDirectory)
    {
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentNullException.ThrowIfNull(outDirectory);
        Check(shards, outDirectory);
        var first = shards[0].Results;
        var planned = first.Shard!.PlannedCells;
        var order = planned.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var cells = shards.SelectMany(s => s.Results.Cells).OrderBy(c => order.GetValueOrDefault(c.Name, int.MaxValue)).ToList();
        var statuses = shards.Select(s => s.Results.Status).ToList();
        var status = statuses.Contains(RunStatus.Failed) ? RunStatus.Failed : statuses.Contains(RunStatus.Interrupted) ? RunStatus.Interrupted : RunStatus.Completed;
        var merged = new ResultsDocument(ResultsDocument.CurrentSchemaVersion, $"{first.RunId}-merged", status,
            shards.Select(s => s.Results.Error).FirstOrDefault(e => e is not null), shards.Min(s => s.Results.StartedMs), shards.Max(s => s.Results.EndedMs),
            cells, first.Experiment, first.Description)
        {
            Repetitions = RepetitionGroup.Of(cells),
            ToolVersion = first.ToolVersion,
            PlanDigest = first.PlanDigest,
        };

        Directory.CreateDirectory(outDirectory);
        foreach (var (directory, results) in shards)
        {
            foreach (var cell in results.Cells.Where(c => c.Directory is not null))
            {
                CopyDirectory(Path.Combine(directory, cell.Directory!), Path.Combine(outDirectory, cell.Directory!));
            }
        }

        ResultsJson.Write(outDirectory, merged);
        Reports.WriteAll(outDirectory, merged);
        return merged;
    }

    private static void Check(IReadOnlyList<(string Directory, ResultsDocument Results)> shards, string outDirectory)
    {
        if (shards.Count == 0)
        {
            throw new ExperimentConfigException("report merge needs the run directories of a plan's shards");
        }

        if (shards.FirstOrDefault(s => s.Results.Shard is null) is { Directory: { } whole })
        {
            throw new ExperimentConfigException($"{whole}: a whole run, not a shard; report merge combines the runs of 'run --shard i/n'");
        }

        var (firstDirectory, first) = shards[0];
        foreach (var (directory, results) in shards.Skip(1))
        {
            Same(directory, firstDirectory, "experiment", results.Experiment, first.Experiment);
            Same(directory, firstDirectory, "plan (the file's cells and settings)", results.PlanDigest, first.PlanDigest);
            Same(directory, firstDirectory, "tool version", results.ToolVersion, first.ToolVersion);
            Same(directory, firstDirectory, "shard count", results.Shard!.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                first.Shard!.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var versions = shards.SelectMany(s => s.Results.Cells.Where(c => c.Status != RunStatus.Unsupported)
                .Select(c => (s.Directory, Version: c.Config.GetValueOrDefault("cluster.kafka.version"))))
            .Where(v => v.Version is not null).DistinctBy(v => v.Version).ToList();
        if (versions.Count > 1)
        {
            throw new ExperimentConfigException($"{versions[1].Directory}: ran Kafka {versions[1].Version}, and {versions[0].Directory} ran Kafka {versions[0].Version}; merge shards run on one broker version");
        }

        var count = first.Shard!.Count;
        var given = shards.GroupBy(s => s.Results.Shard!.Index).ToList();
        if (given.FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ExperimentConfigException($"{twice.Last().Directory}: shard {twice.Key}/{count} is given twice (also {twice.First().Directory})");
        }

        var missing = Enumerable.Range(1, count).Except(given.Select(g => g.Key)).ToList();
        if (missing.Count > 0)
        {
            throw new ExperimentConfigException($"shard(s) {string.Join(", ", missing.Select(m => $"{m}/{count}"))} of {first.Experiment ?? firstDirectory} missing; give every shard's run directory");
        }

        if (Directory.Exists(outDirectory) && Directory.EnumerateFileSystemEntries(outDirectory).Any())
        {
            throw new ExperimentConfigException($"--out {outDirectory}: not empty; give a new directory for the merged run");
        }
    }

    private static void Same(string directory, string firstDirectory, string what, string? value, string? firstValue)
    {
        if (!string.Equals(value, firstValue, StringComparison.Ordinal))
        {
            throw new ExperimentConfigException($"{directory}: {what} {value ?? "(not recorded)"}, and {firstDirectory} has {firstValue ?? "(not recorded)"}; merge shards of one run of one file");
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
