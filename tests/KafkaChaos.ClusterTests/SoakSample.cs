using System.Globalization;

namespace KafkaChaos.ClusterTests;

/// <summary>
/// One look at the running tool from outside, through /proc. Resident memory alone rose in one hour-long soak and not
/// in another; its anonymous and file-backed parts, the managed heap and the thread count tell the managed heap from
/// the C heap, leaked client threads or mapped files.
/// </summary>
internal sealed record SoakSample(TimeSpan At, long RssKb, long AnonymousKb, long FileKb, int Threads, int Descriptors, int Containers)
{
    /// <summary>The managed heap after the last collection, as the tool logs it every 30 s.</summary>
    public long ManagedKb { get; init; }

    /// <summary>The process's state now, or null when it has just exited.</summary>
    public static SoakSample? Of(int pid, TimeSpan at)
    {
        try
        {
            var status = File.ReadLines($"/proc/{pid}/status")
                .Select(l => l.Split(':', 2))
                .Where(p => p.Length == 2)
                .ToDictionary(p => p[0], p => p[1].Trim().Split(' ')[0]);
            long Field(string name) => status.TryGetValue(name, out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : 0;
            return new SoakSample(at, Field("VmRSS"), Field("RssAnon"), Field("RssFile"), (int)Field("Threads"), Directory.GetFiles($"/proc/{pid}/fd").Length, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }

    public static void Write(string path, IEnumerable<SoakSample> samples) =>
        File.WriteAllLines(path, ["seconds\trss_kib\tanonymous_kib\tfile_kib\tmanaged_heap_kib\tthreads\tdescriptors\tlabelled_containers",
            .. samples.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.At.TotalSeconds:0}\t{s.RssKb}\t{s.AnonymousKb}\t{s.FileKb}\t{s.ManagedKb}\t{s.Threads}\t{s.Descriptors}\t{s.Containers}"))]);
}
