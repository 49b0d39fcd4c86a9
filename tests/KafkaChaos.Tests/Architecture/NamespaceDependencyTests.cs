using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NUnit.Framework;

namespace KafkaChaos.Tests.Architecture;

/// <summary>
/// Which way the namespaces of src/ may depend, as its syntax trees show it. A review finds a wrong-way
/// dependency once; a test keeps it found.
/// </summary>
public class NamespaceDependencyTests
{
    internal static IEnumerable<(string Path, SyntaxTree Tree)> SourceTrees() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root(), "src"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path => (Path.GetRelativePath(RepositoryPaths.Root(), path), CSharpSyntaxTree.ParseText(File.ReadAllText(path), path: path)));

    /// <summary>
    /// The workload acts and records; what an experiment is, and how a run is set up, sits above it. A
    /// workload type that names an Experiments type closes a cycle that keeps the two from being tested apart.
    /// Bench measures and Reporting renders, bench reports included, so Bench names no Reporting type.
    /// </summary>
    [TestCase("KafkaChaos.Workload", "KafkaChaos.Experiments")]
    [TestCase("KafkaChaos.Workload", "KafkaChaos.Ledger")]
    [TestCase("KafkaChaos.Journal", "KafkaChaos.Experiments")]
    [TestCase("KafkaChaos.Ledger", "KafkaChaos.Experiments")]
    [TestCase("KafkaChaos.Ledger", "KafkaChaos.Workload")]
    [TestCase("KafkaChaos.Cluster", "KafkaChaos.Experiments")]
    [TestCase("KafkaChaos.Faults", "KafkaChaos.Experiments")]
    [TestCase("KafkaChaos.Bench", "KafkaChaos.Reporting")]
    public void Namespace_DoesNotDependOn(string lower, string upper)
    {
        var offenders = new List<string>();
        foreach (var (path, tree) in SourceTrees())
        {
            var root = (CompilationUnitSyntax)tree.GetRoot();
            var declared = root.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().Select(n => n.Name.ToString()).FirstOrDefault();
            if (declared is null || !(declared == lower || declared.StartsWith(lower + ".", StringComparison.Ordinal)))
            {
                continue;
            }

            // Inside namespace KafkaChaos.X, "Experiments.Foo" names KafkaChaos.Experiments.Foo, so the short form counts too.
            var shortForm = upper["KafkaChaos.".Length..] + ".";
            var usesUpper = root.Usings.Any(u => u.Name?.ToString() is { } name && (name == upper || name.StartsWith(upper + ".", StringComparison.Ordinal)))
                || root.DescendantNodes().Where(n => n is QualifiedNameSyntax or MemberAccessExpressionSyntax)
                    .Any(q => q.ToString() is var text && (text.StartsWith(upper + ".", StringComparison.Ordinal) || text.StartsWith(shortForm, StringComparison.Ordinal)));
            if (usesUpper)
            {
                offenders.Add(path);
            }
        }

        Assert.That(offenders, Is.Empty, $"{lower} files that name {upper}");
    }
}
