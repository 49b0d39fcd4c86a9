using System.Text.Json;

namespace KafkaChaos.Journal;

/// <summary>
/// Appends a run's history to its run directory (docs/journal.md): the run, fault timeline and end as
/// JSON lines in <c>journal.jsonl</c>, and the high-volume outcomes as compact binary blocks in
/// <c>produced.bin</c> and <c>consumed.bin</c>.
/// </summary>
/// <remarks>
/// Thread-safe: delivery handlers, consumer loops and the nemesis write concurrently, each stream under
/// its own lock. Everything is buffered and flushed in batches (every <see cref="FlushInterval"/> and
/// on dispose), so a crash loses at most the last batch and can tear only each file's tail, which the
/// reader detects, drops and reports as truncation. A failed write never throws on the writer's thread:
/// it goes to <see cref="Failure"/>, which the run watches.
/// </remarks>
public sealed class JournalWriter : IDisposable
{
    public const string FileName = "journal.jsonl";
    public const string ProducedFileName = "produced.bin";
    public const string ConsumedFileName = "consumed.bin";
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(200);

    private readonly Lock _gate = new();
    private readonly FileStream _file;
    private readonly Utf8JsonWriter _json;
    private readonly ITimer _flushTimer;
    private readonly BlockWriter _produced;
    private readonly BlockWriter _consumed;
    private bool _disposed;

    public JournalWriter(string runDirectory, TimeProvider time)
    {
        Path = System.IO.Path.Combine(runDirectory, FileName);
        _file = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16);
        _json = new Utf8JsonWriter(_file, new JsonWriterOptions { SkipValidation = true });
        _produced = new BlockWriter(System.IO.Path.Combine(runDirectory, ProducedFileName), Failure);
        _consumed = new BlockWriter(System.IO.Path.Combine(runDirectory, ConsumedFileName), Failure);
        _flushTimer = time.CreateTimer(_ => Flush(), null, FlushInterval, FlushInterval);
    }

    public string Path { get; }

    /// <summary>The first write that failed, and the token it trips.</summary>
    public WriteFailure Failure { get; } = new();

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

    public void WriteProduced(in ProduceOutcome outcome)
    {
        lock (_produced.Gate)
        {
            ObjectDisposedException.ThrowIf(_produced.IsDisposed, this);
            ProducedCodec.Encode(_produced.Pending, outcome, ref _produced.State);
            _produced.RecordEncoded();
        }
    }

    public void WriteConsumed(in ConsumedRecord record)
    {
        lock (_consumed.Gate)
        {
            ObjectDisposedException.ThrowIf(_consumed.IsDisposed, this);
            ConsumedCodec.Encode(_consumed.Pending, record, ref _consumed.State);
            _consumed.RecordEncoded();
        }
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

    /// <summary>Pushes buffered records to the operating system; with <paramref name="durable"/>, to the disk.</summary>
    public void Flush(bool durable = false)
    {
        _produced.Flush(durable);
        _consumed.Flush(durable);
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            Failure.Guard(() =>
            {
                _json.Flush();
                _file.Flush(durable);
            });
        }
    }

    public void Dispose()
    {
        _flushTimer.Dispose();
        _produced.Dispose();
        _consumed.Dispose();
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            Failure.Guard(() =>
            {
                _json.Flush();
                _file.Flush(flushToDisk: true);
            });
            _disposed = true;
            try
            {
                _json.Dispose();
                _file.Dispose();
            }
            catch (IOException)
            {
                // Reported already by the flush above.
            }
        }

        Failure.Dispose();
    }

    private void Append(Action<Utf8JsonWriter> body)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Failure.Guard(() =>
            {
                _json.WriteStartObject();
                body(_json);
                _json.WriteEndObject();
                _json.Flush();
                _file.WriteByte((byte)'\n');
            });
            _json.Reset();
        }
    }
}
