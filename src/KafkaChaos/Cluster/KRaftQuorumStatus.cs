using System.Globalization;
using System.Text.RegularExpressions;

namespace KafkaChaos.Cluster;

/// <summary>
/// What <c>kafka-metadata-quorum.sh describe --status</c> prints of the metadata quorum (KRaft operations,
/// "Metadata Quorum Tool"): the active controller (LeaderId), its epoch, and the voters.
/// </summary>
public sealed partial record KRaftQuorumStatus(int LeaderId, int LeaderEpoch, IReadOnlyList<int> Voters)
{
    /// <summary>The status in the tool's output, or null when it printed none (an error, a broker still starting).</summary>
    public static KRaftQuorumStatus? Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var leader = LeaderLine().Match(output);
        if (!leader.Success)
        {
            return null;
        }

        var epoch = EpochLine().Match(output);
        var voters = VotersLine().Match(output);
        var ids = voters.Success
            ? VoterId().Matches(voters.Groups["voters"].Value).Select(m => int.Parse(m.Groups["id"].Value, CultureInfo.InvariantCulture)).ToArray()
            : [];
        return new KRaftQuorumStatus(int.Parse(leader.Groups["id"].Value, CultureInfo.InvariantCulture),
            epoch.Success ? int.Parse(epoch.Groups["epoch"].Value, CultureInfo.InvariantCulture) : -1, ids);
    }

    [GeneratedRegex(@"^LeaderId:\s+(?<id>-?\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex LeaderLine();

    [GeneratedRegex(@"^LeaderEpoch:\s+(?<epoch>-?\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex EpochLine();

    // 3.3–3.8 print [3000,3001,3002]; 3.9 and later a JSON object per voter, over several lines.
    [GeneratedRegex(@"^CurrentVoters:\s+(?<voters>\[.*?\])\s*(?:^\S|\z)", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex VotersLine();

    [GeneratedRegex(@"(?:""id"":\s*|(?<=[\[,]\s*))(?<id>\d+)")]
    private static partial Regex VoterId();
}
