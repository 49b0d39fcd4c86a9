using System.Text.Json;

namespace KafkaChaos.Journal;

/// <summary>
/// Appends a run's history to its run directory (docs/journal.md): the run, fault timeline and end as
/// JSON lines in <c>journal.jsonl</c>, and the high-volume outcomes as compact binary blocks in
/// <c>produced.bin</c>, <c>consumed.bin</c> and <c>final.bin</c>.
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
    public const string FinalReadFileName = "final.bin";

    /// <summary>
    /// The journal format this writer writes. 1: no format field, no final read, no assignment changes.
    /// 2: the final read (final.bin and a <c>final-read</c> line), assignment changes in consumed.bin, the
    /// group's <c>drain</c> line. 3: started.bin, the count of sends each producer started.
    /// </summary>
    public const int Format = 3;
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(200);

    private readonly Lock _gate = new();
    private readonly FileStream _file;
    private readonly Utf8JsonWriter _json;
    private readonly ITimer _flushTimer;
    private readonly BlockWriter _produced;
    private readonly BlockWriter _consumed;
    private readonly BlockWriter _final;
    private readonly StartedSends _started;
    private bool _disposed;

    public JournalWriter(string runDirectory, TimeProvider time)
    {
        Path = System.IO.Path.Combine(runDirectory, FileName);
        _file = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16);
        _json = new Utf8JsonWriter(_file, new JsonWriterOptions { SkipValidation = true });
        _produced = new BlockWriter(System.IO.Path.Combine(runDirectory, ProducedFileName), Failure);
        _consumed = new BlockWriter(System.IO.Path.Combine(runDirectory, ConsumedFileName), Failure);
        _final = new BlockWriter(System.IO.Path.Combine(runDirectory, FinalReadFileName), Failure);
        _started = new StartedSends(runDirectory);
        _flushTimer = time.CreateTimer(_ => Flush(), null, FlushInterval, FlushInterval);
    }

    public string Path { get; }

    /// <summary>The first write that failed, and the token it trips.</summary>
    public WriteFailure Failure { get; } = new();

    /// <summary>
    /// The first line: what ran, so <c>verify</c> can report it without any other file. Written through at
    /// once, not at the next timed flush: a SIGKILL in the first 200 ms left an empty journal.jsonl, which
    /// no reader can tell from a file that is not a journal.
    /// </summary>
    public void WriteRunStarted(string runId, long timestampMs, IReadOnlyDictionary<string, string> config)
    {
        Append(json =>
        {
            json.WriteString("type", JournalRecordTypes.Run);
            json.WriteNumber("format", Format);
            json.WriteString("run_id", runId);
            json.WriteNumber("ts_ms", timestampMs);
            json.WriteStartObject("config");
            foreach (var (key, value) in config.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
        });
        Flush();
    }

    /// <summary>
    /// Called before each send: <paramref name="producer"/> has now started <paramref name="count"/>.
    /// Survives a SIGKILL that the buffered outcomes do not (<see cref="StartedSends"/>).
    /// </summary>
    public void SendStarted(int producer, long count) => _started.Started(producer, count);

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

    /// <summary>One record of the final read: kind <see cref="ConsumeKind.FinalRead"/>, or <see cref="ConsumeKind.Unreadable"/>.</summary>
    public void WriteFinalRead(in ConsumedRecord record)
    {
        lock (_final.Gate)
        {
            ObjectDisposedException.ThrowIf(_final.IsDisposed, this);
            ConsumedCodec.Encode(_final.Pending, record, ref _final.State);
            _final.RecordEncoded();
        }
    }

    /// <summary>How the final read ended; its records are flushed first, so the line never claims more than is on disk.</summary>
    public void WriteFinalReadEnded(long timestampMs, FinalReadSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        _final.Flush(durable: false);
        Append(json =>
        {
            json.WriteString("type", JournalRecordTypes.FinalRead);
            json.WriteNumber("ts_ms", timestampMs);
            json.WriteString("status", summary.Complete ? "complete" : "incomplete");
            json.WriteNumber("records", summary.Records);
            json.WriteStartObject("end_offsets");
            foreach (var (partition, end) in summary.EndOffsets.OrderBy(e => e.Key))
            {
                json.WriteNumber(partition.ToString(System.Globalization.CultureInfo.InvariantCulture), end);
            }

            json.WriteEndObject();
            json.WriteString("detail", summary.Detail);
        });
    }

    /// <summary>How the group's drain ended.</summary>
    public void WriteDrainEnded(long timestampMs, GroupDrainSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        Append(json =>
        {
            json.WriteString("type", JournalRecordTypes.Drain);
            json.WriteNumber("ts_ms", timestampMs);
            json.WriteString("status", summary.CaughtUp ? "caught-up" : "idle");
            json.WriteString("detail", summary.Detail);
        });
    }

    public void WriteFault(FaultEvent fault)
    {
        Append(json =>
        {
            json.WriteString("type", JournalRecordTypes.Fault);
            json.WriteString("fault", fault.Fault);
            json.WriteString("phase", EnumNames<FaultPhase>.ToName(fault.Phase));
            json.WriteString("target", fault.Target);
            json.WriteNumber("ts_ms", fault.TimestampMs);
            json.WriteString("detail", fault.Detail);
        });
    }

    /// <summary>The last line: how the run ended, and why when it did not complete. A journal without it was cut short.</summary>
    public void WriteRunEnded(long timestampMs, RunStatus status, string? cause = null)
    {
        Append(json =>
        {
            json.WriteString("type", JournalRecordTypes.End);
            json.WriteNumber("ts_ms", timestampMs);
            json.WriteString("status", EnumNames<RunStatus>.ToName(status));
            if (cause is not null)
            {
                json.WriteString("cause", cause);
            }
        });
    }

    /// <summary>Pushes buffered records to the operating system; with <paramref name="durable"/>, to the disk.</summary>
    public void Flush(bool durable = false)
    {
        _produced.Flush(durable);
        _consumed.Flush(durable);
        _final.Flush(durable);
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
        _final.Dispose();
        _started.Dispose();
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
