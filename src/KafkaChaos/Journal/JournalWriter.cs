using System.Text.Json;

namespace KafkaChaos.Journal;

/// <summary>
/// Appends a run's history to <c>journal.jsonl</c>, one JSON object per line (see docs/journal.md).
/// </summary>
/// <remarks>
/// Thread-safe: delivery handlers, the consumer loop and the nemesis write concurrently. Lines are
/// buffered and flushed to the file in batches (every <see cref="FlushInterval"/> and on dispose), so a
/// crash loses at most the last batch and can tear only the final line, which the reader ignores.
/// </remarks>
public sealed class JournalWriter : IDisposable
{
    public const string FileName = "journal.jsonl";
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(200);

    private readonly Lock _gate = new();
    private readonly FileStream _file;
    private readonly Utf8JsonWriter _json;
    private readonly ITimer _flushTimer;
    private bool _disposed;

    public JournalWriter(string runDirectory, TimeProvider time)
    {
        Path = System.IO.Path.Combine(runDirectory, FileName);
        _file = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16);
        _json = new Utf8JsonWriter(_file, new JsonWriterOptions { SkipValidation = true });
        _flushTimer = time.CreateTimer(_ => Flush(), null, FlushInterval, FlushInterval);
    }

    public string Path { get; }

    /// <summary>The first line: what ran, so <c>verify</c> can report it without any other file.</summary>
    public void WriteRunStarted(string runId, long timestampMs, IReadOnlyDictionary<string, string> config)
    {
        Append(json =>
        {
            json.WriteString("type", "run");
            json.WriteString("run_id", runId);
            json.WriteNumber("ts_ms", timestampMs);
            json.WriteStartObject("config");
            foreach (var (key, value) in config.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
        });
    }

    public void WriteProduced(ProduceOutcome outcome)
    {
        Append(json =>
        {
            json.WriteString("type", "produced");
            json.WriteString("producer", outcome.Producer);
            json.WriteNumber("seq", outcome.Sequence);
            json.WriteString("status", ProduceStatusNames.ToName(outcome.Status));
            if (outcome.Partition is { } partition)
            {
                json.WriteNumber("partition", partition);
            }

            if (outcome.Offset is { } offset)
            {
                json.WriteNumber("offset", offset);
            }

            json.WriteNumber("ts_ms", outcome.TimestampMs);
            if (outcome.Error is { } error)
            {
                json.WriteString("error", error);
            }
        });
    }

    public void WriteConsumed(ConsumedRecord record)
    {
        Append(json =>
        {
            json.WriteString("type", "consumed");
            json.WriteString("consumer", record.Consumer);
            if (record.Producer is { } producer)
            {
                json.WriteString("producer", producer);
            }

            if (record.Sequence is { } sequence)
            {
                json.WriteNumber("seq", sequence);
            }

            json.WriteNumber("partition", record.Partition);
            json.WriteNumber("offset", record.Offset);
            json.WriteNumber("ts_ms", record.TimestampMs);
            if (record.Error is { } error)
            {
                json.WriteString("error", error);
            }
        });
    }

    public void WriteFault(FaultEvent fault)
    {
        Append(json =>
        {
            json.WriteString("type", "fault");
            json.WriteString("fault", fault.Fault);
            json.WriteString("phase", FaultPhaseNames.ToName(fault.Phase));
            json.WriteString("target", fault.Target);
            json.WriteNumber("ts_ms", fault.TimestampMs);
            json.WriteString("detail", fault.Detail);
        });
    }

    /// <summary>The last line: how the run ended. A journal without it was cut short.</summary>
    public void WriteRunEnded(long timestampMs, string status)
    {
        Append(json =>
        {
            json.WriteString("type", "end");
            json.WriteNumber("ts_ms", timestampMs);
            json.WriteString("status", status);
        });
    }

    /// <summary>Pushes buffered lines to the operating system; with <paramref name="durable"/>, to the disk.</summary>
    public void Flush(bool durable = false)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _json.Flush();
            _file.Flush(durable);
        }
    }

    public void Dispose()
    {
        _flushTimer.Dispose();
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _json.Flush();
            _file.Flush(flushToDisk: true);
            _json.Dispose();
            _file.Dispose();
            _disposed = true;
        }
    }

    private void Append(Action<Utf8JsonWriter> body)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _json.WriteStartObject();
            body(_json);
            _json.WriteEndObject();
            _json.Flush();
            _file.WriteByte((byte)'\n');
            _json.Reset();
        }
    }
}
