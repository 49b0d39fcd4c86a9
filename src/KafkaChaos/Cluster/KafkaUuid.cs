using System.Security.Cryptography;

namespace KafkaChaos.Cluster;

/// <summary>
/// A random id in the form Kafka's own <c>Uuid.randomUuid()</c> prints and <c>kafka-storage.sh random-uuid</c>
/// writes: 16 random bytes in URL-safe base64 without padding (22 characters). Cluster ids and the directory
/// ids of a dynamic quorum's voters take this form.
/// </summary>
public static class KafkaUuid
{
    public static string New(RandomNumberGenerator? random = null)
    {
        var bytes = new byte[16];
        while (true)
        {
            (random ?? RandomNumberGenerator.Create()).GetBytes(bytes);
            var text = Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            // Kafka draws again for an id that starts with '-': the command line would read it as an option.
            if (!text.StartsWith('-'))
            {
                return text;
            }
        }
    }

    /// <summary>Whether <paramref name="text"/> has the form of such an id.</summary>
    public static bool IsValid(string text) =>
        text is { Length: 22 } && !text.StartsWith('-') && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
