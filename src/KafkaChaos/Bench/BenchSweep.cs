using System.Globalization;
using KafkaChaos.Experiments;
using KafkaChaos.Faults;

namespace KafkaChaos.Bench;

/// <summary>
/// Expands the sweep's axes into cells (their Cartesian product, in order), checking every value where
/// it was given: a bench file's line and column, or a command-line option. The same checks serve both,
/// so a value the flags reject is rejected in a file too, with the same words.
/// </summary>
public static class BenchSweep
{
    /// <summary>One value of an axis and where it was given ("file:line:col" or "--option").</summary>
    public readonly record struct Value(string Text, string Where);

    /// <summary>One fault of the fault axis (null: the cell runs without one) and where it was given.</summary>
    public readonly record struct FaultValue(FaultSpec? Fault, string Where);

    /// <exception cref="ExperimentConfigException">Naming the value, its key and where it was given.</exception>
    public static IReadOnlyList<BenchCell> Cells(int brokers, IReadOnlyList<Value> sizes, IReadOnlyList<Value> acks, IReadOnlyList<Value> linger,
        IReadOnlyList<Value> batch, IReadOnlyList<Value> partitions, IReadOnlyList<Value> replicationFactors, IReadOnlyList<FaultValue> faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var sizeValues = Numbers(sizes, "message_size", Workload.MessageEnvelope.HeaderSize, 1 << 20);
        var ackValues = Each(acks, "acks", a => a.Text is "0" or "1" or "all" or "-1" ? a.Text : throw Error(a, "acks", "0, 1 or all"));
        var lingerValues = Numbers(linger, "linger_ms", 0, 60_000);
        var batchValues = Each(batch, "batch_size", b => b.Text == "default" ? (int?)null : Numbers([b], "batch_size", 1, int.MaxValue)[0]);
        var partitionValues = Numbers(partitions, "partitions", 1, 100);
        var rfValues = Numbers(replicationFactors, "replication_factor", 1, brokers);
        if (faults.Count == 0)
        {
            throw new ExperimentConfigException("the sweep's fault axis is empty; give none for runs without a fault");
        }

        var cells = (from size in sizeValues
                     from ack in ackValues
                     from lingerMs in lingerValues
                     from batchSize in batchValues
                     from partitionCount in partitionValues
                     from rf in rfValues
                     from fault in faults
                     select (Cell: new BenchCell(size, ack, lingerMs, partitionCount, batchSize, rf, fault.Fault), fault.Where)).ToList();
        if (cells.Count > BenchPlan.MaxCells)
        {
            throw new ExperimentConfigException($"{sizes[0].Where}: the sweep has {cells.Count} cells; at most {BenchPlan.MaxCells}");
        }

        foreach (var (cell, where) in cells)
        {
            if (cell.Fault is { } fault && FaultKinds.Problem(fault, brokers, cell.Partitions, cell.ReplicationFactor) is { } problem)
            {
                throw new ExperimentConfigException($"{where}: fault {fault.Kind} in cell {cell.Name}: {problem}");
            }
        }

        return [.. cells.Select(c => c.Cell)];
    }

    /// <summary>Checks a fault for the bench, which applies it once in every timed run.</summary>
    /// <param name="fault">The fault.</param>
    /// <param name="where">Where it was given.</param>
    /// <param name="shortestRun">The shortest timed run's schedule: a fault due later would miss the runs.</param>
    /// <exception cref="ExperimentConfigException">When it acts on the clients, repeats, or comes too late.</exception>
    public static FaultValue Fault(FaultSpec fault, string where, TimeSpan shortestRun)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (FaultKinds.IsClientSide(fault.Kind))
        {
            throw new ExperimentConfigException($"{where}: fault {fault.Kind} acts on the harness's own clients, which the raw client does not have; the bench takes broker and network faults");
        }

        if (fault.When.Every is not null || fault.When.Count != 1 || fault.When.WindowEnd is not null)
        {
            throw new ExperimentConfigException($"{where}: fault {fault.Kind}: a bench fault takes 'at' and 'duration' only; it is applied once in every timed run");
        }

        if (fault.When.At >= shortestRun)
        {
            throw new ExperimentConfigException(
                $"{where}: fault {fault.Kind} at {fault.When.At.TotalSeconds:0.###} s would come after the timed runs' {shortestRun.TotalSeconds:0.###} s; make 'at' earlier or the runs longer");
        }

        return new FaultValue(fault, where);
    }

    private static List<int> Numbers(IReadOnlyList<Value> values, string key, int min, int max) =>
        Each(values, key, v => int.TryParse(v.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw Error(v, key, $"a whole number {min}..{max}"));

    private static List<T> Each<T>(IReadOnlyList<Value> values, string key, Func<Value, T> parse)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ExperimentConfigException($"the sweep's {key} axis is empty");
        }

        return [.. values.Select(parse)];
    }

    private static ExperimentConfigException Error(Value value, string key, string expected) =>
        new($"{value.Where}: {key} has value '{value.Text}'; expected {expected}");
}
