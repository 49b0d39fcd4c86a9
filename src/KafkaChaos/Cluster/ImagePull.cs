using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace KafkaChaos.Cluster;

/// <summary>
/// Pulls an image the user named and the engine lacks, saying how far it got: each layer once as it
/// completes, and the bytes downloaded at every quarter. Only ever called for an image named by the user
/// (<c>--image</c>, <c>cluster.image</c>, <c>KAFKA_IMAGE</c>), never for one the tool picks itself.
/// </summary>
public static class ImagePull
{
    /// <summary>The environment variable that switches pulling off (<c>never</c>) for a whole machine, as CI without a registry needs.</summary>
    public const string PolicyVariable = "KAFKA_CHAOS_PULL";

    /// <summary>Whether pulling is switched off for this process: <c>KAFKA_CHAOS_PULL=never</c>.</summary>
    public static bool SwitchedOff => Environment.GetEnvironmentVariable(PolicyVariable) == "never";

    /// <exception cref="InfrastructureException">The engine could not pull it, with the engine's reason; nothing is left behind.</exception>
    public static async Task PullAsync(DockerEngine engine, string image, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(log);
        var tracker = new PullProgress(image, log);
        log($"pulling {image} (the engine does not have it)");
        try
        {
            await engine.Client.Images.CreateImageAsync(new ImagesCreateParameters
            {
                FromImage = ImageReference.Repository(image),
                Tag = ImageReference.Tag(image) ?? "latest",
            }, null, tracker, cancellationToken);
        }
        catch (DockerApiException e)
        {
            throw new InfrastructureException($"pulling {image} failed: {EngineReason(e)}", e);
        }

        if (tracker.Error is { } error)
        {
            throw new InfrastructureException($"pulling {image} failed: {error}");
        }

        try
        {
            await engine.Client.Images.InspectImageAsync(image, cancellationToken);
        }
        catch (DockerImageNotFoundException e)
        {
            throw new InfrastructureException($"pulling {image} ended, but the engine still has no such image", e);
        }

        log($"pulled {image}");
    }

    private static string EngineReason(DockerApiException e)
    {
        var body = e.ResponseBody.Trim();
        const string key = "\"message\":\"";
        var start = body.IndexOf(key, StringComparison.Ordinal);
        return start < 0 ? body : body[(start + key.Length)..].Split('"')[0];
    }

    /// <summary>Reads the engine's progress messages as they come, on the pulling thread, so that an error is seen before the pull returns.</summary>
    private sealed class PullProgress(string image, Action<string> log) : IProgress<JSONMessage>
    {
        private readonly Dictionary<string, long> _totals = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _current = new(StringComparer.Ordinal);
        private int _quartersSaid;

        public string? Error { get; private set; }

        public void Report(JSONMessage value)
        {
            if (!string.IsNullOrEmpty(value.ErrorMessage) || value.Error is { Message.Length: > 0 })
            {
                Error ??= value.Error?.Message is { Length: > 0 } message ? message : value.ErrorMessage;
                return;
            }

            if (value.Status is "Downloading" && value.ID is { } layer && value.Progress is { Total: > 0 } detail)
            {
                _totals[layer] = detail.Total;
                _current[layer] = detail.Current;
                var total = _totals.Values.Sum();
                var quarter = (int)(4 * _current.Values.Sum() / total);
                if (quarter > _quartersSaid && quarter < 4)
                {
                    _quartersSaid = quarter;
                    log($"pulling {image}: {quarter * 25}% of {(total / 1_048_576.0).ToString("0.#", CultureInfo.InvariantCulture)} MiB seen so far");
                }
            }
            else if (value.Status is { } status && (status.StartsWith("Pull complete", StringComparison.Ordinal) || status.StartsWith("Already exists", StringComparison.Ordinal)
                || status.StartsWith("Digest:", StringComparison.Ordinal) || status.StartsWith("Status:", StringComparison.Ordinal)))
            {
                log($"pulling {image}: {(value.ID is { Length: > 0 } id ? id + " " : "")}{status}");
            }
        }
    }
}
