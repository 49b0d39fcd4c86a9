using System.Globalization;
using System.Text;
using KafkaChaos.Cluster;

namespace KafkaChaos.Bench;

/// <summary>
/// The one name map of <see cref="PeerTool"/>, and the shell script that runs each in a
/// <see cref="ToolContainer"/> and prints what it measured as <c>key value</c> lines
/// (<see cref="PeerOutput"/> reads them).
/// </summary>
/// <remarks>
/// <para>
/// The script times the tool itself, inside the container, and reads the container's CPU counter before
/// and after, so neither the exec's round trip nor the container's start is counted. The tool's stdout
/// goes to the container's tmpfs; what the script prints afterwards is read from there, untimed.
/// </para>
/// <para>
/// Flags differ by version (KIP-499 unified them as <c>--bootstrap-server</c> in 2.5; before 2.0 the perf
/// consumer needs <c>--new-consumer</c> to use the bootstrap list at all). Only 0.9's flags have been run.
/// </para>
/// </remarks>
public static class PeerTools
{
    public static IReadOnlyList<PeerTool> Producers { get; } = [PeerTool.VerifiableProducer, PeerTool.ProducerPerfTest];

    public static IReadOnlyList<PeerTool> Consumers { get; } = [PeerTool.ConsumerPerfTest, PeerTool.VerifiableConsumer];

    public static string Name(PeerTool tool) => tool switch
    {
        PeerTool.VerifiableProducer => "verifiable-producer",
        PeerTool.ProducerPerfTest => "producer-perf-test",
        PeerTool.ConsumerPerfTest => "consumer-perf-test",
        PeerTool.VerifiableConsumer => "verifiable-consumer",
        _ => throw new ArgumentOutOfRangeException(nameof(tool), tool, null),
    };

    /// <summary>The tool <see cref="Name"/> names.</summary>
    public static PeerTool Parse(string name) =>
        Enum.GetValues<PeerTool>().FirstOrDefault(t => Name(t) == name) is var tool && Name(tool) == name
            ? tool
            : throw new ArgumentException($"'{name}' names no peer tool", nameof(name));

    /// <summary>
    /// A producer peer sending <paramref name="count"/> messages with the cell's acks, linger and batch size,
    /// unthrottled (<paramref name="rate"/> 0) or at <paramref name="rate"/> messages per second. The
    /// verifiable producer's values are its sequence as text (1 to 7 bytes here); its version has no
    /// setting for their size, which favours it against a harness sending the cell's size. Its
    /// <c>--acks</c> is a number: all is -1.
    /// </summary>
    public static string ProducerScript(PeerTool tool, KafkaVersion version, string bootstrap, string topic, long count, BenchCell cell, double rate)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(cell);
        var properties = new StringBuilder($"acks={cell.Acks}\\nlinger.ms={cell.LingerMs}\\n");
        if (cell.BatchSize is { } batch)
        {
            properties.Append(CultureInfo.InvariantCulture, $"batch.size={batch}\\n");
        }

        var throughput = rate > 0 ? ((long)Math.Ceiling(rate)).ToString(CultureInfo.InvariantCulture) : "-1";
        return tool switch
        {
            PeerTool.VerifiableProducer => Timed(
                $"printf '{properties}' > /tmp/producer.properties; bin/kafka-verifiable-producer.sh {Bootstrap(version, bootstrap)} --topic {topic} --max-messages {count} " +
                $"--throughput {throughput} --acks {Workload.AcksSetting.AsNumber(cell.Acks)} --producer.config /tmp/producer.properties {Output}",
                "echo acked $(grep -c producer_send_success /tmp/out); echo failed $(grep -c producer_send_error /tmp/out); " +
                "echo first_ms $(grep -m1 producer_send_success /tmp/out | sed -E 's/.*\"(time_ms|timestamp)\":([0-9]+).*/\\2/'); " +
                "echo last_ms $(grep producer_send_success /tmp/out | tail -n 1 | sed -E 's/.*\"(time_ms|timestamp)\":([0-9]+).*/\\2/')"),
            PeerTool.ProducerPerfTest => Timed(
                $"bin/kafka-producer-perf-test.sh --topic {topic} --num-records {count} --record-size {cell.MessageSize} --throughput {throughput} " +
                $"--producer-props bootstrap.servers={bootstrap} acks={cell.Acks} linger.ms={cell.LingerMs}" +
                (cell.BatchSize is { } size ? $" batch.size={size}" : "") + $" {Output}",
                "echo summary $(tail -n 1 /tmp/out)"),
            _ => throw new ArgumentException($"{Name(tool)} is not a producer", nameof(tool)),
        };
    }

    /// <summary>A consumer peer reading <paramref name="count"/> records of <paramref name="topic"/> from its start, in a group of its own.</summary>
    public static string ConsumerScript(PeerTool tool, KafkaVersion version, string bootstrap, string topic, long count, string group)
    {
        ArgumentNullException.ThrowIfNull(version);
        return tool switch
        {
            PeerTool.ConsumerPerfTest => Timed(
                $"bin/kafka-consumer-perf-test.sh {(version < new KafkaVersion(2, 0, 0) ? "--new-consumer " : "")}{Bootstrap(version, bootstrap)} --topic {topic} " +
                $"--messages {count} --group {group} {Output}",
                "echo summary $(tail -n 1 /tmp/out)"),
            // Before 0.10 it stops reading at --max-messages but never exits (its system tests kill it): the script
            // watches its output every 50 ms and ends it once it has read them all.
            PeerTool.VerifiableConsumer => Timed(
                ": > /tmp/out; consumed() { awk -F'\"count\":' '/records_consumed/ { split($2, a, /[,}]/); n += a[1] } END { print n + 0 }' /tmp/out; }; " +
                $"bin/kafka-verifiable-consumer.sh {Bootstrap(version, bootstrap)} --topic {topic} --group-id {group} --max-messages {count} --reset-policy earliest {Output} & " +
                $"p=$!; while kill -0 $p 2> /dev/null; do if [ \"$(consumed)\" -ge {count} ]; then kill $p; wait $p; true; break; fi; sleep 0.05; done; wait $p 2> /dev/null || [ \"$(consumed)\" -ge {count} ]",
                "echo consumed $(consumed)"),
            _ => throw new ArgumentException($"{Name(tool)} is not a consumer", nameof(tool)),
        };
    }

    private static string Bootstrap(KafkaVersion version, string bootstrap) =>
        version >= new KafkaVersion(2, 5, 0) ? $"--bootstrap-server {bootstrap}" : $"--broker-list {bootstrap}";

    /// <summary>Where a tool's stdout and stderr go: the container's tmpfs, read after the clock stops.</summary>
    private const string Output = "> /tmp/out 2> /tmp/err";

    /// <summary>
    /// Wraps <paramref name="command"/> (which sends its tool's output to <see cref="Output"/>): times it and the container's CPU around it, then prints the exit
    /// code, the elapsed time, the CPU and <paramref name="summary"/>'s lines; on failure, the tool's last
    /// words.
    /// </summary>
    private static string Timed(string command, string summary) =>
        "cpu() { if [ -f /sys/fs/cgroup/cpu.stat ]; then awk '/^usage_usec/ { print $2 }' /sys/fs/cgroup/cpu.stat; " +
        "elif [ -f /sys/fs/cgroup/cpuacct/cpuacct.usage ]; then echo $(( $(cat /sys/fs/cgroup/cpuacct/cpuacct.usage) / 1000 )); else echo 0; fi; }; " +
        "rm -f /tmp/out /tmp/err; c0=$(cpu); s=$(date +%s%N); " +
        $"{command}; rc=$?; " +
        "e=$(date +%s%N); c1=$(cpu); echo exit $rc; echo elapsed_ns $((e - s)); echo cpu_us $((c1 - c0)); " +
        $"{summary}; if [ $rc -ne 0 ]; then tail -n 5 /tmp/err; tail -n 5 /tmp/out; fi; rm -f /tmp/out /tmp/err";
}
