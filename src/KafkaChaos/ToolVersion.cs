using System.Reflection;

namespace KafkaChaos;

/// <summary>The tool's version with the commit it was built from, as results, bench reports and merges name it.</summary>
public static class ToolVersion
{
    public static string Current { get; } =
        typeof(ToolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
