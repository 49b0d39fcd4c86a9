using System.Runtime.InteropServices;

namespace KafkaChaos.Bench;

/// <summary>
/// What a measurement ran on and with, written beside it: figures from a 2-vCPU VM shared with the
/// broker mean little without the cores, the processor and the versions of every layer.
/// </summary>
public sealed record MachineFacts(int Cores, string Processor, string OperatingSystem, string Runtime, string Tool, string ConfluentKafka, string Librdkafka,
    string Kafka)
{
    public static MachineFacts Current(string kafkaVersion) => new(
        Environment.ProcessorCount,
        ProcessorModel(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        ToolVersion.Current,
        typeof(Confluent.Kafka.Library).Assembly.GetName().Version?.ToString(3) ?? "unknown",
        Confluent.Kafka.Library.VersionString,
        kafkaVersion);

    /// <summary>One line for a report's head.</summary>
    public string Describe() =>
        $"{Cores} cores ({Processor}), {OperatingSystem}, {Runtime}, kafka-chaos {Tool}, Confluent.Kafka {ConfluentKafka} (librdkafka {Librdkafka}), Kafka {Kafka}";

    private static string ProcessorModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}
