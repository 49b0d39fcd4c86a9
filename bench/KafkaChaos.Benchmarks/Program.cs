using System.Globalization;
using BenchmarkDotNet.Running;
using KafkaChaos.Benchmarks;

// --targets [messages] [scratch-dir]: the ledger targets, measured in one long run each.
// Anything else goes to BenchmarkDotNet (e.g. --filter '*' --job short).
if (args.Length > 0 && args[0] == "--targets")
{
    var messages = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 100_000_000;
    var directory = args.Length > 2 ? args[2] : Path.Combine(Path.GetTempPath(), "kafka-chaos-bench");
    return LedgerTargets.Run(messages, directory);
}

BenchmarkSwitcher.FromAssembly(typeof(EnvelopeBenchmarks).Assembly).Run(args);
return 0;
