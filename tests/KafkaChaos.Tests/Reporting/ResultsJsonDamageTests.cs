using KafkaChaos.Journal;
using KafkaChaos.Reporting;
using NUnit.Framework;

namespace KafkaChaos.Tests.Reporting;

/// <summary>A damaged results.json is named by where it breaks, in the file's own terms, never by a .NET type (the fuzz test found one).</summary>
public class ResultsJsonDamageTests : TemporaryDirectoryTest
{
    [TestCase("\"sent\": 20000", "\"sent\": \"x\"", "the value at $.cells[0].counts.sent, line ")]
    [TestCase("\"schema_version\": 1", "\"schema_version\": [", "results.json: not a results document (")]
    public void DamagedValue_IsNamedByItsPath_WithoutATypeName(string field, string damage, string expected)
    {
        ResultsJson.Write(TestDirectory, SampleResults.Build() with { Cells = [SampleResults.Build().Cells[0]] });
        var path = Path.Combine(TestDirectory, ResultsDocument.FileName);
        var text = File.ReadAllText(path);
        Assert.That(text, Does.Contain(field), "the field to damage");
        File.WriteAllText(path, text.Replace(field, damage, StringComparison.Ordinal));

        var error = Assert.Throws<JournalFormatException>(() => ResultsJson.Read(TestDirectory))!;

        Assert.That(error.Message, Does.Contain(expected).And.Not.Contain("System.").And.Not.Contain("`1"));
    }
}
