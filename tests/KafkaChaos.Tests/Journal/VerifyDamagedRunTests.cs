using KafkaChaos.ClusterTests;
using KafkaChaos.Journal;
using NUnit.Framework;

namespace KafkaChaos.Tests.Journal;

/// <summary>
/// <c>kafka-chaos verify</c> on a completed run whose files were damaged afterwards: exit 2 and one line
/// naming what is wrong, never a verdict computed around the damage.
/// </summary>
public class VerifyDamagedRunTests : TemporaryDirectoryTest
{
    [Test]
    public async Task Verify_CompletedRunWhoseJournalLostItsEndLine_IsDamageExit2()
    {
        SampleRun.Write(TestDirectory);
        var journal = Path.Combine(TestDirectory, JournalWriter.FileName);
        var lines = File.ReadAllLines(journal);
        File.WriteAllLines(journal, lines[..^1]);

        var (exitCode, _, error) = await CliProcess.RunAsync("verify", TestDirectory);

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.Contain("says this run completed").And.Contain("no end line").And.Contain("damaged"));
    }

    [Test]
    public async Task Verify_BytesDamagedInTheMiddleOfConsumedBin_IsDamageExit2NamingFileAndByte()
    {
        SampleRun.Write(TestDirectory);
        var consumed = Path.Combine(TestDirectory, JournalWriter.ConsumedFileName);
        var bytes = File.ReadAllBytes(consumed);
        bytes[6] ^= 0x40; // the first block's length
        File.WriteAllBytes(consumed, bytes);

        var (exitCode, output, error) = await CliProcess.RunAsync("verify", TestDirectory);

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error, Does.Contain(consumed).And.Contain("block at byte 0"));
        Assert.That(output, Does.Not.Contain("lost"), "no verdict is printed around damage");
        Assert.That(error, Does.Not.Contain("   at "), "no stack trace");
    }

    /// <summary>Found by the fuzz test: three random bytes in a field's name left it unset, and verify failed with an internal error.</summary>
    [TestCase("\"config\"", "\"conf\\u0012g\"", "cells[0].config is missing")]
    [TestCase("\"counts\": {", "\"counts\": null, \"x\": {", "not a results document")]
    public async Task Verify_ResultsJsonWithAFieldDamaged_IsDamageExit2(string field, string damaged, string expected)
    {
        SampleRun.Write(TestDirectory);
        var results = Path.Combine(TestDirectory, "results.json");
        await File.WriteAllTextAsync(results, (await File.ReadAllTextAsync(results)).Replace(field, damaged, StringComparison.Ordinal));

        var (exitCode, _, error) = await CliProcess.RunAsync("verify", TestDirectory);

        Assert.That(exitCode, Is.EqualTo(2), error);
        Assert.That(error, Does.Contain("results.json").And.Contain(expected).And.Not.Contain("internal error"));
    }

    [Test]
    public async Task Verify_IntactCompletedRun_AgreesAndExits0()
    {
        SampleRun.Write(TestDirectory);

        var (exitCode, _, error) = await CliProcess.RunAsync("verify", TestDirectory);

        Assert.That((exitCode, error), Is.EqualTo((0, "")));
    }
}
