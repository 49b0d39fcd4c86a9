using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Docker.DotNet.Models;

namespace KafkaChaos.Cluster;

/// <summary>
/// Picks a /24 for a run's network that no Docker network and no host interface uses, from
/// 10.213.0.0/16, so runs never collide with each other or with the machine's own networks.
/// </summary>
public static class SubnetAllocator
{
    public static async Task<string> AllocateAsync(DockerEngine engine, CancellationToken cancellationToken)
    {
        var taken = new HashSet<int>();
        var networks = await engine.Client.Networks.ListNetworksAsync(new NetworksListParameters(), cancellationToken);
        foreach (var subnet in networks.SelectMany(n => n.IPAM?.Config ?? []).Select(c => c.Subnet).OfType<string>())
        {
            if (TryThirdOctet(subnet.Split('/')[0], out var octet))
            {
                taken.Add(octet);
            }
        }

        foreach (var address in NetworkInterface.GetAllNetworkInterfaces()
                     .SelectMany(i => i.GetIPProperties().UnicastAddresses)
                     .Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork))
        {
            if (TryThirdOctet(address.Address.ToString(), out var octet))
            {
                taken.Add(octet);
            }
        }

        for (var octet = 1; octet < 255; octet++)
        {
            if (!taken.Contains(octet))
            {
                return $"10.213.{octet}.0/24";
            }
        }

        throw new InfrastructureException("no free /24 left in 10.213.0.0/16; remove stale networks with 'kafka-chaos cluster down --all'");
    }

    /// <summary>The address with the given host part in a /24 such as "10.213.7.0/24".</summary>
    public static string Host(string subnet, int host) => subnet.Split('/')[0][..^1] + host.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static bool TryThirdOctet(string address, out int octet)
    {
        octet = 0;
        if (!IPAddress.TryParse(address, out var ip) || ip.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        var bytes = ip.GetAddressBytes();
        if (bytes[0] != 10 || bytes[1] != 213)
        {
            return false;
        }

        octet = bytes[2];
        return true;
    }
}
