using KafkaChaos.ClusterTests;
using NUnit.Framework;

namespace KafkaChaos.Tests.Cluster;

/// <summary>
/// The pull path of <c>run --image</c> against a fake engine, since nothing here may ask a registry: an
/// image the engine lacks is pulled with progress, a failed pull is exit 3 with the engine's reason and
/// leaves nothing behind, and with pulling switched off nothing is pulled at all.
/// </summary>
public class ImagePullTests : TemporaryDirectoryTest
{
    private const string Image = "apache/kafka:4.1.0";

    private static (int, string) Engine(string method, string path) =>
        FakeDockerEngine.Version(method, path)
        ?? (method == "POST" && path.Contains("/images/create?", StringComparison.Ordinal)
            ? (200, string.Join('\n',
                """{"status":"Pulling from apache/kafka","id":"4.1.0"}""",
                """{"status":"Pulling fs layer","progressDetail":{},"id":"a1b2c3"}""",
                """{"status":"Downloading","progressDetail":{"current":30000000,"total":100000000},"progress":"[=====>   ]","id":"a1b2c3"}""",
                """{"status":"Downloading","progressDetail":{"current":60000000,"total":100000000},"progress":"[=======> ]","id":"a1b2c3"}""",
                """{"errorDetail":{"message":"toomanyrequests: You have reached your pull rate limit"},"error":"toomanyrequests: You have reached your pull rate limit"}""") + "\n")
            : (404, $$"""{"message":"No such image: {{Image}}"}"""));

    [Test]
    public async Task Run_ImageTheEngineLacks_IsPulledWithProgressAndAFailedPullIsExit3()
    {
        using var engine = new FakeDockerEngine(Path.Combine(TestDirectory, "docker.sock"), Engine);
        var runs = Path.Combine(TestDirectory, "runs");

        var (exitCode, _, error) = await CliProcess.RunAsync(new Dictionary<string, string> { ["DOCKER_HOST"] = engine.DockerHost, ["KAFKA_CHAOS_PULL"] = "" },
            "run", "--image", Image, "--runs-dir", runs);

        Assert.That(exitCode, Is.EqualTo(3), error);
        var lines = error.Trim().Split('\n');
        Assert.That(lines.Last(), Does.EndWith("kafka-chaos: infrastructure error: pulling apache/kafka:4.1.0 failed: toomanyrequests: You have reached your pull rate limit"));
        Assert.That(error, Does.Contain("pulling apache/kafka:4.1.0 (the engine does not have it)"));
        Assert.That(error, Does.Contain("pulling apache/kafka:4.1.0: 25% of 95.4 MiB seen so far"));
        Assert.That(error, Does.Contain("pulling apache/kafka:4.1.0: 50% of 95.4 MiB seen so far"));
        Assert.That(engine.Requests, Has.One.StartsWith("POST /v1.41/images/create?fromImage=apache/kafka&tag=4.1.0"));
        Assert.That(engine.Requests.Where(r => r.StartsWith("POST", StringComparison.Ordinal) && !r.Contains("/images/create", StringComparison.Ordinal)), Is.Empty,
            "nothing created: no container, no network");
        Assert.That(Directory.Exists(runs) ? Directory.EnumerateFileSystemEntries(runs) : [], Is.Empty, "no run directory");
    }

    [TestCase("--pull", "never", "(--pull never)")]
    [TestCase("KAFKA_CHAOS_PULL", "never", "(KAFKA_CHAOS_PULL=never)")]
    public async Task Run_PullSwitchedOff_AsksNoRegistryAndSaysSo(string setting, string value, string said)
    {
        using var engine = new FakeDockerEngine(Path.Combine(TestDirectory, "docker.sock"), Engine);
        var environment = new Dictionary<string, string> { ["DOCKER_HOST"] = engine.DockerHost, ["KAFKA_CHAOS_PULL"] = "" };
        string[] arguments = ["run", "--image", Image, "--runs-dir", Path.Combine(TestDirectory, "runs")];
        if (setting.StartsWith("--", StringComparison.Ordinal))
        {
            arguments = [.. arguments, setting, value];
        }
        else
        {
            environment[setting] = value;
        }

        var (exitCode, _, error) = await CliProcess.RunAsync(environment, arguments);

        Assert.That(exitCode, Is.EqualTo(3), error);
        Assert.That(error.Trim().Split('\n').Last(), Does.StartWith($"kafka-chaos: infrastructure error: image '{Image}' is not on this engine, and pulling is switched off {said}"));
        Assert.That(engine.Requests.Where(r => r.Contains("/images/create", StringComparison.Ordinal)), Is.Empty, "no pull asked for");
    }
}
