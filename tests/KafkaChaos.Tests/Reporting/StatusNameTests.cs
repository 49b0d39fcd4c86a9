using KafkaChaos.Journal;
using KafkaChaos.Reporting;
using NUnit.Framework;

namespace KafkaChaos.Tests.Reporting;

/// <summary>
/// A status has one spelling: results.json (written by the JSON serializer), the journal's end line and
/// every report must agree, or 'verify' would compare a run with itself under two names.
/// </summary>
public class StatusNameTests : TemporaryDirectoryTest
{
    [Test]
    public void EveryRunStatus_IsSpelledTheSameInResultsJsonAndTheJournal([Values] RunStatus status)
    {
        ResultsJson.Write(TestDirectory, new ResultsDocument(ResultsDocument.CurrentSchemaVersion, "run", status, null, 0, 1, []));

        var text = File.ReadAllText(Path.Combine(TestDirectory, ResultsDocument.FileName));

        Assert.That(text, Does.Contain($"\"status\": \"{EnumNames<RunStatus>.ToName(status)}\""));
        Assert.That(ResultsJson.Read(TestDirectory)!.Status, Is.EqualTo(status));
        Assert.That(EnumNames<RunStatus>.TryParse(EnumNames<RunStatus>.ToName(status), out var parsed) && parsed == status, Is.True);
    }

    [Test]
    public void Names_AreDistinct()
    {
        Assert.That(Enum.GetValues<RunStatus>().Select(EnumNames<RunStatus>.ToName), Is.Unique);
        Assert.That(Enum.GetValues<CellVerdict>().Select(CellVerdictNames.ToName), Is.Unique);
    }

    [Test]
    public void JournalEndLine_WithAnUnknownStatus_IsNamedAsDamage()
    {
        using (var writer = new JournalWriter(TestDirectory, TimeProvider.System))
        {
            writer.WriteRunStarted("run-s", 0, new Dictionary<string, string>());
        }

        File.AppendAllText(Path.Combine(TestDirectory, JournalWriter.FileName), """{"type":"end","ts_ms":1,"status":"finished"}""" + "\n");

        var error = Assert.Throws<JournalFormatException>(() => JournalReader.ReadRunDirectory(TestDirectory));

        Assert.That(error!.Message, Does.Contain("'finished'"));
    }
}
