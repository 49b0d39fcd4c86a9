using KafkaChaos.Journal;

namespace KafkaChaos.Ledger.Checking;

/// <summary>
/// The first examples of each anomaly, in journal order, each with the fault event nearest in time: every
/// analysis writes its examples here, so that the same history always names the same ones.
/// </summary>
internal sealed class ExampleBook(History history, FaultEvent[] faults)
{
    private readonly Dictionary<LedgerCount, List<AnomalyExample>> _examples = LedgerCountCatalog.All
        .Where(c => c.Examples != ExampleKind.None)
        .ToDictionary(c => c, _ => new List<AnomalyExample>());

    /// <summary>The examples by count name, as results.json keeps them.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<AnomalyExample>> All =>
        _examples.ToDictionary(kv => kv.Key.Name, kv => (IReadOnlyList<AnomalyExample>)kv.Value, StringComparer.Ordinal);

    public void Add(LedgerCount anomaly, in ConsumedRecord record, string? detail = null)
    {
        if (_examples[anomaly].Count < LedgerChecker.MaxExamples)
        {
            var readable = record.Kind.CarriesMessage();
            _examples[anomaly].Add(new AnomalyExample(
                readable ? history.ProducerName(record.Producer) : null,
                readable ? record.Sequence : null,
                record.Partition,
                record.Offset,
                Nearest(record.TimestampMs))
            {
                Detail = detail,
            });
        }
    }

    public void Add(LedgerCount anomaly, int? producer, long? sequence, int? partition, long? offset, long timestampMs, string? detail = null)
    {
        if (_examples[anomaly].Count < LedgerChecker.MaxExamples)
        {
            _examples[anomaly].Add(new AnomalyExample(producer is { } p ? history.ProducerName(p) : null, sequence, partition, offset, Nearest(timestampMs))
            {
                Detail = detail,
            });
        }
    }

    /// <summary>The fault event closest in time, described with its distance, or null when there were none.</summary>
    private string? Nearest(long timestampMs)
    {
        if (faults.Length == 0)
        {
            return null;
        }

        int low = 0, high = faults.Length - 1;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (faults[mid].TimestampMs < timestampMs)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        var best = faults[low];
        if (low > 0 && Math.Abs(faults[low - 1].TimestampMs - timestampMs) <= Math.Abs(best.TimestampMs - timestampMs))
        {
            best = faults[low - 1];
        }

        var delta = best.TimestampMs - timestampMs;
        var when = delta >= 0 ? $"{delta} ms after" : $"{-delta} ms before";
        return $"{best.Fault} {EnumNames<FaultPhase>.ToName(best.Phase)} on {best.Target}, {when}";
    }
}
