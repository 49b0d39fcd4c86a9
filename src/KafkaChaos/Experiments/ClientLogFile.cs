using KafkaChaos.Journal;

namespace KafkaChaos.Experiments;

/// <summary>
/// The cell's client.log: every line the clients log, with its time, from any client thread. A failed write
/// (a full disk) is a failure of the run directory, reported to the journal's failure so the run stops as
/// it would for the journal itself.
/// </summary>
internal sealed class ClientLogFile(string path, TimeProvider time, Action<string> log) : IDisposable
{
    private readonly StreamWriter _writer = new(path) { AutoFlush = false };
    private readonly Lock _gate = new();

    /// <summary>Where a failed write goes; set once the journal exists.</summary>
    public WriteFailure? Failure { get; set; }

    public void Write(string line)
    {
        lock (_gate)
        {
            try
            {
                _writer.WriteLine($"{time.GetUtcNow():O} {line}");
            }
            catch (IOException e)
            {
                Failure?.Report(e);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            _writer.Dispose();
        }
        catch (IOException e)
        {
            log($"client.log is incomplete: {e.Message}");
        }
    }
}
