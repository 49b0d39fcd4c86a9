using System.Reflection;
using System.Text.RegularExpressions;
using KafkaChaos.Ledger;
using NUnit.Framework;

namespace KafkaChaos.Tests.Ledger;

/// <summary>
/// A count is a property of <see cref="LedgerCounts"/> and one catalog entry that reads it; adding a count
/// means the two and the analysis that fills it. These keep the three from drifting apart: no property
/// without its entry, no entry outside the list the outputs read, no entry that reads another's property.
/// </summary>
public partial class LedgerCountCatalogTests
{
    private static readonly PropertyInfo[] CountProperties = typeof(LedgerCounts).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.PropertyType == typeof(long) || p.PropertyType == typeof(long?)).ToArray();

    private static readonly LedgerCount[] Entries = typeof(LedgerCountCatalog).GetProperties(BindingFlags.Public | BindingFlags.Static)
        .Where(p => p.PropertyType == typeof(LedgerCount)).Select(p => (LedgerCount)p.GetValue(null)!).ToArray();

    [Test]
    public void EveryEntry_IsInTheListTheOutputsRead_Once()
    {
        Assert.That(LedgerCountCatalog.All, Is.EquivalentTo(Entries));
        Assert.That(LedgerCountCatalog.All.Select(c => c.Name), Is.Unique);
    }

    [Test]
    public void EveryCountProperty_IsReadByExactlyItsOwnEntry()
    {
        Assert.That(Entries, Has.Length.EqualTo(CountProperties.Length), "one entry per count property of LedgerCounts");
        foreach (var property in CountProperties)
        {
            // Set this property alone to a value no other holds: only its entry may read that value.
            var marked = (LedgerCounts)typeof(LedgerCounts).GetMethod("<Clone>$")!.Invoke(new LedgerCounts(), null)!;
            property.SetValue(marked, 987_654L);
            var readers = Entries.Where(e => e.Read(marked) == 987_654L).Select(e => e.Name).ToList();
            Assert.That(readers, Is.EqualTo(new[] { SnakeCase(property.Name) }), $"LedgerCounts.{property.Name}");
        }
    }

    [Test]
    public void EveryAnomaly_HasExamplesOrSaysWhyNot_AndEveryJepsenNameIsKebabCase()
    {
        foreach (var entry in Entries.Where(e => e.JepsenName is not null))
        {
            Assert.That(entry.JepsenName, Does.Match("^[a-z]+(-[a-z]+)*$"), entry.Name);
            Assert.That(entry.IsAnomaly, Is.True, $"{entry.Name} carries a Jepsen anomaly name, so it is an anomaly");
        }

        Assert.That(Entries.Where(e => e.IsAnomaly && e.Examples == ExampleKind.None).Select(e => e.Name), Is.Empty, "an anomaly count keeps examples");
    }

    private static string SnakeCase(string name) => CamelHump().Replace(name, "$1_$2").ToLowerInvariant();

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex CamelHump();
}
