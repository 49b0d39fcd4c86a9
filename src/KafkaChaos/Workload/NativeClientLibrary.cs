using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace KafkaChaos.Workload;

/// <summary>
/// Loads the librdkafka that ships with the tool, by its full path, before any client is built.
/// </summary>
/// <remarks>
/// Left to itself the loader can pick another librdkafka on the machine (Debian's librdkafka1, which
/// <c>apt-get install kcat</c> brings): an older one passes Confluent.Kafka's own minimum-version check,
/// then aborts the process mid-run on the first function it lacks. Loading ours explicitly rules that
/// out; when it cannot be loaded, or is older than the client library expects, the tool says which
/// library it found and stops before anything starts.
/// </remarks>
public static class NativeClientLibrary
{
    private static readonly Lock Gate = new();
    private static string? _problem;
    private static bool _loaded;

    /// <summary>The loaded librdkafka, for calling its functions Confluent.Kafka does not wrap (its mock cluster); zero until loaded.</summary>
    public static IntPtr Handle { get; private set; }

    /// <summary><see cref="LoadBundled"/> once per process, however many callers ask.</summary>
    public static string? EnsureLoaded()
    {
        lock (Gate)
        {
            if (!_loaded)
            {
                _problem = LoadBundled();
                _loaded = true;
            }

            return _problem;
        }
    }

    /// <summary>Null when a bundled library is loaded and new enough; otherwise the one line that says why not.</summary>
    public static string? LoadBundled()
    {
        var candidates = BundledBuilds();
        if (candidates.Count == 0)
        {
            // A platform without a bundled build (or a layout without runtimes/): the client finds its own, as before.
            return null;
        }

        // The package ships several builds; which one this system can load depends on its libraries
        // (the generic Linux build needs libsasl2.so.3, which Debian lacks, and then the CentOS 8 build,
        // linked statically, is the one that loads). Confluent.Kafka binds librdkafka through
        // [DllImport] names it tries in turn; a resolver on its assembly makes every one of them mean the
        // first bundled build that loads, whatever else the library path holds. (Its own
        // Library.Load(path) calls dlopen through libdl.so, which current glibc systems lack.)
        var failures = new List<string>();
        foreach (var path in candidates)
        {
            if (!NativeLibrary.TryLoad(path, out var handle))
            {
                failures.Add(Path.GetFileName(path));
                continue;
            }

            try
            {
                NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, (name, _, _) => name.Contains("rdkafka", StringComparison.Ordinal) ? handle : IntPtr.Zero);
                Handle = handle;
                _ = Library.Version;
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or FileLoadException or InvalidOperationException or EntryPointNotFoundException)
            {
                return $"the bundled librdkafka at {path} cannot be used ({e.Message.Split('\n')[0]})";
            }

            return CheckVersion(path);
        }

        return $"none of the bundled librdkafka builds loads on this system ({string.Join(", ", failures)} in {Path.GetDirectoryName(candidates[0])}); a library they need is missing";
    }

    private static string? CheckVersion(string source)
    {
        var expected = typeof(Library).Assembly.GetName().Version!;
        var loaded = Library.Version;
        var (major, minor) = ((loaded >> 24) & 0xFF, (loaded >> 16) & 0xFF);
        return major > expected.Major || (major == expected.Major && minor >= expected.Minor)
            ? null
            : $"librdkafka {Library.VersionString} is loaded ({source}), but Confluent.Kafka {expected.ToString(3)} needs librdkafka {expected.Major}.{expected.Minor} or later; remove the other librdkafka from the library path (LD_LIBRARY_PATH)";
    }

    /// <summary>The builds the package ships for this platform, the generic one first.</summary>
    private static List<string> BundledBuilds()
    {
        var (os, file) = OperatingSystem.IsLinux() ? ("linux", "librdkafka.so")
            : OperatingSystem.IsMacOS() ? ("osx", "librdkafka.dylib")
            : OperatingSystem.IsWindows() ? ("win", "librdkafka.dll")
            : (null, null);
        var arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "x86",
            _ => null,
        };
        if (os is null || arch is null)
        {
            return [];
        }

        var native = Path.Combine(AppContext.BaseDirectory, "runtimes", $"{os}-{arch}", "native");
        var names = os == "linux" ? new[] { file!, "centos8-librdkafka.so", "alpine-librdkafka.so" } : [file!];
        return names.Select(n => Path.Combine(native, n)).Append(Path.Combine(AppContext.BaseDirectory, file!)).Where(File.Exists).ToList();
    }
}
