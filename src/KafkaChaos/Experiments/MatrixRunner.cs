using System.Globalization;
using System.Security.Cryptography;
using KafkaChaos.Cluster;
using KafkaChaos.Journal;
using KafkaChaos.Reporting;

namespace KafkaChaos.Experiments;

/// <summary>
/// Runs every cell of an <see cref="ExperimentPlan"/>, one after another, each on a fresh cluster, into
/// one run directory: <c>cells/NNN/</c> per cell, and results.json, summary.md, junit.xml and
/// report.html for the whole matrix.
/// </summary>
/// <remarks>
/// results.json is rewritten after every cell, so a crash of the tool loses at most the cell in
/// progress. A cell the broker version cannot run is recorded as unsupported with the reason, not run
/// as something else. An infrastructure failure or Ctrl-C stops the matrix; the cells done are kept.
/// </remarks>
public sealed class MatrixRunner(DockerEngine? engine, TimeProvider time, Action<string> log)
{
    /// <summary>Receives progress snapshots of the cell running.</summary>
    public Action<RunProgress>? Progress { get; init; }

    /// <summary>Run only this shard's cells (<c>run --shard i/n</c>); each keeps its directory number in the whole plan, so that shards merge.</summary>
    public Shard? Shard { get; init; }

    /// <summary>Leave the last cell's cluster running (see <see cref="ExperimentRunner.KeepCluster"/>).</summary>
    public bool KeepCluster { get; init; }

    /// <summary>The cluster kept by the last cell that started one, when <see cref="KeepCluster"/> is set.</summary>
    public KafkaCluster? KeptCluster { get; private set; }

    public async Task<RunOutcome> RunAsync(ExperimentPlan plan, string image, KafkaVersion version, string runsDirectory,
        Action<int, int, CellResult>? cellDone, CancellationToken cancellationToken, IExternalTarget? external = null, AttachedCluster? attached = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        CheckCells(plan, image, version, ownCluster: external is null && attached is null);
        var runId = $"{time.GetUtcNow():yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";
        var runDirectory = Path.Combine(runsDirectory, runId);
        Directory.CreateDirectory(runDirectory);
        var startedMs = time.Millis();
        var runner = new ExperimentRunner(engine, time, log) { Progress = Progress, KeepCluster = KeepCluster };
        var cells = new List<CellResult>();
        var status = RunStatus.Completed;
        string? error = null;
        Exception? failure = null;
        ResultsDocument Document() => new(ResultsDocument.CurrentSchemaVersion, runId, status, error, startedMs, time.Millis(), cells, plan.Name, plan.Description)
        {
            Repetitions = RepetitionGroup.Of(cells),
            ToolVersion = ToolVersion.Current,
            PlanDigest = Experiments.Shard.PlanDigest(plan),
            Shard = Shard is { } shard ? new ShardRecord(shard.Index, shard.Count, [.. plan.Cells.Select(c => c.Name)]) : null,
        };

        foreach (var i in Shard?.Cells(plan) ?? Enumerable.Range(0, plan.Cells.Count).ToList())
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            var planned = plan.Cells[i];
            var directory = Path.Combine("cells", (i + 1).ToString("D3", CultureInfo.InvariantCulture));
            log($"cell {i + 1}/{plan.Cells.Count}: {planned.Name}");
            runner.Position = (i + 1, plan.Cells.Count);
            CellResult cell;
            if (UnsupportedReason(planned.Spec, version) is { } reason)
            {
                cell = CellResult.Unsupported(planned.Name, planned.Settings, reason) with { Directory = directory };
                log($"cell {planned.Name}: unsupported: {reason}");
            }
            else
            {
                var (result, cellFailure) = await runner.RunCellAsync(planned.Spec with { Name = planned.Name }, image, version, runId,
                    Path.Combine(runDirectory, directory), cancellationToken, external, attached);
                cell = result with { Directory = directory, Expectations = Evaluate(planned, result, version) };
                if (cell.Status == RunStatus.Interrupted)
                {
                    status = RunStatus.Interrupted;
                    error = cell.Reason;
                }
                else if (cellFailure is not null)
                {
                    status = RunStatus.Failed;
                    error = $"cell {planned.Name}: {cell.Reason}";
                    failure = cellFailure;
                }
            }

            cells.Add(cell);
            if (Save(runDirectory, () => ResultsJson.Write(runDirectory, Document())) is { } unsaved && failure is null)
            {
                throw unsaved;
            }

            cellDone?.Invoke(i + 1, plan.Cells.Count, cell);
            if (failure is not null || status == RunStatus.Interrupted)
            {
                break;
            }
        }

        if (cancellationToken.IsCancellationRequested && status == RunStatus.Completed)
        {
            status = RunStatus.Interrupted;
            error = "interrupted before every cell ran";
        }

        KeptCluster = runner.KeptCluster;
        var results = Document();
        var unwritten = Save(runDirectory, () =>
        {
            ResultsJson.Write(runDirectory, results);
            Reports.WriteAll(runDirectory, results);
        });
        if (failure is not null)
        {
            // The cell's own failure says more than the results that could not be written after it.
            throw new InfrastructureException($"{error} (run directory: {runDirectory})", failure);
        }

        if (unwritten is not null)
        {
            throw unwritten;
        }

        return new RunOutcome(runDirectory, results);
    }

    /// <summary>
    /// Every cell that will run, checked before anything exists: a bad setting in the last cell must not leave
    /// a run directory, or the clusters of the cells before it.
    /// </summary>
    private static void CheckCells(ExperimentPlan plan, string image, KafkaVersion version, bool ownCluster)
    {
        foreach (var planned in plan.Cells.Where(c => UnsupportedReason(c.Spec, version) is null))
        {
            ExperimentRunner.Validate(planned.Spec, version);
            if (ownCluster)
            {
                ExperimentRunner.OwnClusterSpec(planned.Spec, image, version).Validate();
            }
            else if (planned.Spec.Mode is not null || planned.Spec.Controllers is not null)
            {
                var key = planned.Spec.Mode is not null ? Settings.ClusterSettings.Mode.Key : Settings.ClusterSettings.Controllers.Key;
                throw new ExperimentConfigException($"cell {planned.Name}: {key}: a cluster the tool did not start runs as it was started; leave {key} out with --attach or --bootstrap");
            }
        }
    }

    /// <summary>Writes results or reports.</summary>
    /// <returns>Null, or for a failed write (a full disk) the infrastructure failure that says what is kept and what to do.</returns>
    private static InfrastructureException? Save(string runDirectory, Action write)
    {
        try
        {
            write();
            return null;
        }
        catch (IOException e)
        {
            return new InfrastructureException($"could not write the results in {runDirectory} ({e.Message}); free space there, then "
                + $"'kafka-chaos verify {runDirectory}' recomputes every verdict from the journals", e);
        }
    }

    /// <summary>Why this broker version cannot run the cell, or null when it can.</summary>
    public static string? UnsupportedReason(ExperimentSpec spec, KafkaVersion version)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(version);
        if (spec.Producer.GetValueOrDefault("enable.idempotence") == "true" && !version.HasIdempotentProducer)
        {
            return $"enable.idempotence needs brokers 0.11 or later; this cluster runs Kafka {version}";
        }

        if (spec.Producer.ContainsKey("transactional.id") && !version.HasIdempotentProducer)
        {
            return $"transactions need brokers 0.11 or later; this cluster runs Kafka {version}";
        }

        if (spec.UncleanLeaderElection && version.HasKRaft && !version.HasKRaftUncleanElection && (spec.Mode ?? Cluster.ClusterMode.KRaft) == Cluster.ClusterMode.KRaft)
        {
            return $"unclean.leader.election.enable=true is honoured by KRaft controllers from 3.9 (KAFKA-12670), and this cluster runs Kafka {version} in KRaft mode; "
                + "cluster.mode: zookeeper runs the cell on it";
        }

        return null;
    }

    private static IReadOnlyList<ExpectationResult> Evaluate(PlannedCell planned, CellResult cell, KafkaVersion version) =>
        planned.Expectations.Where(e => e.AppliesToVersion(version)).Select(e => new ExpectationResult(e.ToString(), e.Count, Expectation.Read(cell.Counts, e.Count), e.IsMetBy(cell.Counts)) { AtLeast = e.AtLeast }).ToArray();
}
