using KafkaChaos.Journal;

namespace KafkaChaos.Bench;

/// <summary>
/// A harness client's journal in a bench: written to disk in a directory of its own under the bench's
/// scratch directory, as in an experiment, because that is part of what the harness costs; then
/// deleted, since no verdict is computed from it.
/// </summary>
internal sealed class ScratchJournal : IDisposable
{
    public ScratchJournal(string scratch, TimeProvider time)
    {
        Directory = System.IO.Directory.CreateDirectory(Path.Combine(scratch, "run-" + Guid.NewGuid().ToString("N"))).FullName;
        Writer = new JournalWriter(Directory, time);
        Writer.WriteRunStarted("bench", time.Millis(), new Dictionary<string, string>());
    }

    public string Directory { get; }

    public JournalWriter Writer { get; }

    public void Dispose()
    {
        Writer.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
