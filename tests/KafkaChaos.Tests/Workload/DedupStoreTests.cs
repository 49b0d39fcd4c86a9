using KafkaChaos.Workload;
using NUnit.Framework;

namespace KafkaChaos.Tests.Workload;

public class DedupStoreTests
{
    private string _path = "";

    [SetUp]
    public void CreateFile() => _path = Path.Combine(Directory.CreateTempSubdirectory("kafka-chaos-dedup-").FullName, DedupStore.FileName);

    [TearDown]
    public void RemoveFile() => Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);

    [Test]
    public void Add_SamePairTwice_IsRejectedTheSecondTime()
    {
        using var store = new DedupStore(_path);

        Assert.That((store.Add(0, 5), store.Add(0, 5), store.Add(1, 5)), Is.EqualTo((true, false, true)));
    }

    [Test]
    public void ReloadFromDisk_KeepsOnlyWhatWasWritten_AndReopeningSeesIt()
    {
        using (var store = new DedupStore(_path))
        {
            for (var seq = 0; seq < 1000; seq++)
            {
                store.Add(seq % 2, seq);
            }

            store.ReloadFromDisk();
            Assert.That((store.Count, store.Contains(1, 999), store.Contains(0, 999)), Is.EqualTo((1000L, true, false)));
        }

        using var reopened = new DedupStore(_path);
        Assert.That(reopened.Contains(0, 998), Is.True);
    }

    [Test]
    public void Open_TornLastEntry_IsDropped()
    {
        using (var store = new DedupStore(_path))
        {
            store.Add(0, 1);
            store.Add(0, 2);
        }

        using (var file = new FileStream(_path, FileMode.Open))
        {
            file.SetLength(file.Length - 3);
        }

        using var reopened = new DedupStore(_path);
        Assert.That((reopened.Count, reopened.Contains(0, 1), reopened.Contains(0, 2)), Is.EqualTo((1L, true, false)));
    }
}
