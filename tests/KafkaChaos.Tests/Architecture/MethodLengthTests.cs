using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NUnit.Framework;

namespace KafkaChaos.Tests.Architecture;

/// <summary>How long a method of src/ may grow, measured on its syntax tree.</summary>
public class MethodLengthTests
{
    /// <summary>Past this a method holds more than one idea; split it into named steps.</summary>
    private const int MethodLineLimit = 100;

    [Test]
    public void NoMethodInSrc_IsOverAHundredLines()
    {
        var tooLong = new List<string>();
        foreach (var (path, tree) in NamespaceDependencyTests.SourceTrees())
        {
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                var (name, body) = node switch
                {
                    MethodDeclarationSyntax m => (m.Identifier.Text, (SyntaxNode?)m.Body ?? m.ExpressionBody),
                    ConstructorDeclarationSyntax c => (c.Identifier.Text + " (constructor)", (SyntaxNode?)c.Body ?? c.ExpressionBody),
                    LocalFunctionStatementSyntax l => (l.Identifier.Text + " (local function)", (SyntaxNode?)l.Body ?? l.ExpressionBody),
                    AccessorDeclarationSyntax a => (a.Keyword.Text + " accessor", (SyntaxNode?)a.Body ?? a.ExpressionBody),
                    _ => ("", null),
                };
                if (body is null)
                {
                    continue;
                }

                var span = node.GetLocation().GetLineSpan();
                var lines = span.EndLinePosition.Line - span.StartLinePosition.Line + 1;
                if (lines > MethodLineLimit)
                {
                    tooLong.Add($"{path}:{span.StartLinePosition.Line + 1} {name}: {lines} lines");
                }
            }
        }

        Assert.That(tooLong, Is.Empty, $"methods over {MethodLineLimit} lines: {string.Join("; ", tooLong)}");
    }

}
