using CsCheck;
using KafkaChaos.Journal;
using NUnit.Framework;

namespace KafkaChaos.Tests.Journal;

/// <summary>
/// Damage is never read as a crash: only a last block that runs past the end of the file (or fails its
/// checksum) is a torn tail. Damage anywhere before it fails, naming the file, instead of dropping what
/// follows and turning it into false loss.
/// </summary>
public class JournalDamageTests : TemporaryDirectoryTest
{
    [Test]
    public void ReadRunDirectory_LengthOfAMiddleBlockRunsPastTheEnd_IsDamageNotATornTail()
    {
        var (path, blockStarts) = WriteConsumedBlocks(3);
        var bytes = File.ReadAllBytes(path);
        bytes[5] = 0x7F; // the first block's length, now far past the end of the file
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<JournalFormatException>(() => JournalReader.ReadRunDirectory(TestDirectory));

        Assert.That(error!.Message, Does.StartWith($"{path}: block at byte 0 claims").And.Contain($"an intact block starts at byte {blockStarts[1]}"));
    }

    [Test]
    public void ReadRunDirectory_RandomBytesBeforeTheLastBlock_AlwaysFailNamingTheFile()
    {
        Gen.Select(Gen.Int[1, 8], Gen.Int, Gen.Int[2, 4]).Sample((damaged, seed, blocks) =>
        {
            // Samples run on several threads at once: each writes a run directory of its own.
            var directory = Directory.CreateDirectory(Path.Combine(TestDirectory, Guid.NewGuid().ToString("N"))).FullName;
            var (path, blockStarts) = WriteConsumedBlocks(blocks, directory);
            var bytes = File.ReadAllBytes(path);
            var random = new Random(seed);
            for (var i = 0; i < damaged; i++)
            {
                bytes[random.Next((int)blockStarts[^1])] ^= (byte)random.Next(1, 256);
            }

            File.WriteAllBytes(path, bytes);
            try
            {
                _ = JournalReader.ReadRunDirectory(directory).History.Consumed.ToList();
                return false;
            }
            catch (JournalFormatException e)
            {
                return e.Message.StartsWith(path, StringComparison.Ordinal);
            }
        }, iter: 300);
    }

    [Test]
    public void ReadRunDirectory_LastBlockCutShort_IsStillATornTail()
    {
        var (path, _) = WriteConsumedBlocks(3);
        using (var file = new FileStream(path, FileMode.Open))
        {
            file.SetLength(file.Length - 3);
        }

        var history = JournalReader.ReadRunDirectory(TestDirectory).History;

        Assert.That(history.Truncated, Is.True);
        Assert.That(history.Consumed.Count(), Is.EqualTo(2 * 50));
    }

    /// <summary>Blocks of 50 consumed records each; returns the file and where each block starts.</summary>
    private (string Path, long[] BlockStarts) WriteConsumedBlocks(int blocks, string? directory = null)
    {
        directory ??= TestDirectory;
        var path = Path.Combine(directory, JournalWriter.ConsumedFileName);
        var starts = new long[blocks];
        using (var writer = new JournalWriter(directory, TimeProvider.System))
        {
            writer.WriteRunStarted("run", 0, new Dictionary<string, string>());
            for (var block = 0; block < blocks; block++)
            {
                starts[block] = new FileInfo(path).Length;
                for (var i = 0; i < 50; i++)
                {
                    var seq = (block * 50) + i;
                    writer.WriteConsumed(new ConsumedRecord(0, 0, seq, seq % 3, seq / 3, 1_000 + seq));
                }

                writer.Flush();
            }
        }

        return (path, starts);
    }
}
