using KafkaChaos.Journal;

namespace KafkaChaos.Ledger.Checking;

/// <summary>
/// The log as the group read it, for a history without a final read (journal format 1, an interrupted run):
/// a message counts as stored when the group was given it, and its first delivery at an offset decides its
/// copies and its order, as the final read decides them where there is one.
/// </summary>
internal sealed class GroupReadLog(HistoryIndex index, LogAnalysis log)
{
    /// <returns>The producer of a message of this run, or null for a record that is not one (a phantom, counted at its first delivery).</returns>
    public ProducerLedger? Read(in ConsumedRecord record, bool firstDelivery)
    {
        var producer = record.Kind == ConsumeKind.Unreadable ? null : index.KnownProducer(record.Producer);
        if (producer is null || !producer.WasSent(record.Sequence))
        {
            if (firstDelivery)
            {
                log.Phantom(in record);
            }

            return null;
        }

        if (firstDelivery)
        {
            // A second stored copy; where the first copy sat decides the order, not this one.
            log.Stored(producer.Delivered.Add(record.Sequence), producer, in record);
        }

        return producer;
    }
}
