using KafkaChaos.Journal;
using KafkaChaos.Ledger;
using KafkaChaos.Reporting;
using KafkaChaos.Workload;

namespace KafkaChaos.Tests.Reporting;

/// <summary>A results document of three cells (pass, violated expectation, unsupported) for report tests.</summary>
internal static class SampleResults
{
    public static ResultsDocument Build()
    {
        const long Start = 1_763_900_000_000;
        var timeline = Enumerable.Range(0, 10).Select(i => new ThroughputSecond((Start / 1000) + i, 2000 - (i == 4 ? 1500 : 0), 0, 0, 1990)).ToArray();
        var faults = new[]
        {
            new FaultEvent("kill-leader", FaultPhase.Start, "broker-2", Start + 3000, "SIGKILL"),
            new FaultEvent("kill-leader", FaultPhase.Verified, "broker-2", Start + 3500, "leader moved 2 -> 1"),
            new FaultEvent("kill-leader", FaultPhase.End, "broker-2", Start + 6000, "healed"),
        };
        var latency = new Dictionary<string, LatencySummary>
        {
            ["produce_to_ack"] = new(20_000, 2_000, 5_000, 40_000, 90_000, 120_000, 130_000),
            ["end_to_end"] = new(20_000, 3_000, 6_000, 50_000, 95_000, 125_000, 135_000),
        };
        var examples = new Dictionary<string, IReadOnlyList<AnomalyExample>>
        {
            ["lost"] = [new AnomalyExample("p0", 4242, 0, 1400, "kill-leader start on broker-2, 12 ms after")],
        };
        var pass = new CellResult("acks[producer.acks=all]", new Dictionary<string, string> { ["producer.acks"] = "all" },
            new LedgerCounts { Sent = 20_000, Acked = 20_000, Consumed = 20_000 }, new Dictionary<string, IReadOnlyList<AnomalyExample>>(), false,
            faults, latency, timeline, true, [], Expectations: [new ExpectationResult("lost == 0", "lost", 0, true)]);
        var fail = pass with
        {
            Name = "acks[producer.acks=1]",
            Counts = new LedgerCounts { Sent = 20_000, Acked = 20_000, Consumed = 19_990, Lost = 10 },
            Examples = examples,
            Expectations = [new ExpectationResult("lost == 0", "lost", 10, false)],
        };
        // Partition 0's leader acknowledged 10 messages in the half second before the kill and lost them.
        var fates = new FateTimeline(200, [
            .. Enumerable.Range(0, 50).SelectMany(i => new[]
            {
                new FateBucket(0, Start + (i * 200), 130, i is 13 or 14 ? 5 : 0, 0, 0, 0, 0),
                new FateBucket(1, Start + (i * 200), 135, 0, 0, 0, 0, 0),
            }),
            new FateBucket(null, Start + 3200, 0, 0, 0, 0, 3, 12),
        ], 2);
        fail = fail with { Fates = fates };
        var unsupported = CellResult.Unsupported("idempotence[producer.enable.idempotence=true]", new Dictionary<string, string>(),
            "enable.idempotence needs brokers 0.11 or later; this cluster runs Kafka 0.9.0.1");
        return new ResultsDocument(1, "20261123-090000-abcd", RunStatus.Completed, null, Start, Start + 30_000, [pass, fail, unsupported],
            "acks-leader-kill", "acks=1 loses acknowledged writes on leader failover");
    }
}
