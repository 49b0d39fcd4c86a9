using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace KafkaChaos.Cluster;

/// <summary>
/// An unpacked Apache Kafka distribution (the folder holding <c>libs/</c>), its version read from the
/// broker jar's name, and a digest of its jars so a rebuilt or patched distribution gets a new image.
/// </summary>
public sealed partial record KafkaDistribution(string Home, KafkaVersion Version, string Digest)
{
    /// <summary>Opens a distribution from a folder or a .tgz/.tar.gz (unpacked under <paramref name="scratchDirectory"/>).</summary>
    /// <exception cref="ClusterConfigException">The path is missing or holds no Kafka broker jar.</exception>
    public static KafkaDistribution Open(string path, string scratchDirectory) =>
        Open(new DistributionPath(path, "--dist"), scratchDirectory);

    /// <summary>Opens a distribution; errors name the flag or variable it came from.</summary>
    /// <exception cref="ClusterConfigException">The path is missing or holds no Kafka broker jar.</exception>
    public static KafkaDistribution Open(DistributionPath given, string scratchDirectory)
    {
        var path = given.Path;
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ClusterConfigException($"{given.Origin}: '{path}' is not a path to a Kafka distribution");
        }

        var full = Path.GetFullPath(path);
        string home;
        if (Directory.Exists(full))
        {
            home = FindHome(full) ?? throw new ClusterConfigException(
                $"{given}: no Kafka broker jar (libs/kafka_<scala>-<version>.jar) under this folder");
        }
        else if (File.Exists(full))
        {
            var target = Path.Combine(scratchDirectory, "dist-" + Path.GetFileName(full).Replace(".tgz", "", StringComparison.Ordinal).Replace(".tar.gz", "", StringComparison.Ordinal));
            if (!Directory.Exists(target))
            {
                Directory.CreateDirectory(target);
                try
                {
                    using var file = File.OpenRead(full);
                    using var gzip = new GZipStream(file, CompressionMode.Decompress);
                    TarFile.ExtractToDirectory(gzip, target, overwriteFiles: true);
                }
                catch (Exception e) when (e is InvalidDataException or IOException)
                {
                    Directory.Delete(target, recursive: true);
                    throw new ClusterConfigException($"{given}: not a readable .tgz Kafka distribution ({e.Message})", e);
                }
            }

            home = FindHome(target) ?? throw new ClusterConfigException(
                $"{given}: the archive holds no Kafka broker jar (libs/kafka_<scala>-<version>.jar)");
        }
        else
        {
            throw new ClusterConfigException($"{given}: no such file or folder");
        }

        var jar = BrokerJars(home).First();
        var version = KafkaVersion.Parse(BrokerJarName().Match(Path.GetFileName(jar)).Groups["version"].Value);
        return new KafkaDistribution(home, version, DigestOf(home));
    }

    /// <summary>The jars the broker needs: documentation, source and signature files are left out of images.</summary>
    public IEnumerable<string> RuntimeFiles()
    {
        foreach (var folder in new[] { "libs", "config", "bin" })
        {
            var dir = Path.Combine(Home, folder);
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(file);
                if (name.EndsWith(".asc", StringComparison.Ordinal) || name.EndsWith("-javadoc.jar", StringComparison.Ordinal)
                    || name.EndsWith("-scaladoc.jar", StringComparison.Ordinal) || name.EndsWith("-sources.jar", StringComparison.Ordinal))
                {
                    continue;
                }

                yield return file;
            }
        }
    }

    private static string? FindHome(string root)
    {
        foreach (var libs in Directory.EnumerateDirectories(root, "libs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var home = Path.GetDirectoryName(libs)!;
            if (BrokerJars(home).Any())
            {
                return home;
            }
        }

        return null;
    }

    private static IEnumerable<string> BrokerJars(string home) =>
        Directory.EnumerateFiles(Path.Combine(home, "libs"), "kafka_*.jar")
            .Where(f => BrokerJarName().IsMatch(Path.GetFileName(f)))
            .Order(StringComparer.Ordinal);

    private static string DigestOf(string home)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var libs = Path.Combine(home, "libs");
        foreach (var file in Directory.EnumerateFiles(libs, "*.jar").Order(StringComparer.Ordinal))
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\n"));
            using var stream = File.OpenRead(file);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                sha.AppendData(buffer, 0, read);
            }
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    [GeneratedRegex(@"^kafka_(?<scala>\d+\.\d+)-(?<version>\d+(\.\d+){1,3})\.jar$")]
    private static partial Regex BrokerJarName();
}
