using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Text;

namespace KafkaChaos.Cli;

/// <summary>
/// Help with options in named groups (workload, producer, consumer, faults, cluster, output) instead of
/// one list of thirty. A command registers its groups; the help action lets the library write its help
/// at 100 columns, then splits the "Options:" section into one section per group. The library keeps
/// its layout hooks internal, so the split works on the text, by each row's option name.
/// </summary>
public static class OptionGroups
{
    private static readonly Dictionary<Command, List<(string Title, Option[] Options)>> Groups = [];

    /// <summary>Shows <paramref name="options"/> of <paramref name="command"/> under "<paramref name="title"/> options:".</summary>
    public static void Add(Command command, string title, params Option[] options)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!Groups.TryGetValue(command, out var groups))
        {
            Groups[command] = groups = [];
        }

        groups.Add((title, options));
    }

    /// <summary>The help action every help option of the tree uses.</summary>
    public static SynchronousCommandLineAction Action() => new GroupedHelpAction();

    /// <summary>Splits the rows of the "Options:" section of <paramref name="help"/> into the groups of <paramref name="command"/>.</summary>
    public static string Group(string help, Command command)
    {
        ArgumentNullException.ThrowIfNull(help);
        ArgumentNullException.ThrowIfNull(command);
        var lines = help.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var start = Array.IndexOf(lines, "Options:");
        if (start < 0 || !Groups.TryGetValue(command, out var groups))
        {
            return help;
        }

        var end = start + 1;
        while (end < lines.Length && lines[end].Length > 0)
        {
            end++;
        }

        // A row starts at two spaces and a dash; wrapped description lines that follow belong to it.
        var rows = new List<(string Name, List<string> Lines)>();
        for (var i = start + 1; i < end; i++)
        {
            if (lines[i].StartsWith("  -", StringComparison.Ordinal) || rows.Count == 0)
            {
                var name = lines[i].TrimStart().Split(' ', ',')[0];
                rows.Add((name, [lines[i]]));
            }
            else
            {
                rows[^1].Lines.Add(lines[i]);
            }
        }

        var text = new StringBuilder();
        foreach (var line in lines[..start])
        {
            text.Append(line).Append('\n');
        }

        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (title, options) in groups)
        {
            var names = options.SelectMany(o => o.Aliases.Prepend(o.Name)).ToHashSet(StringComparer.Ordinal);
            var members = rows.Where(r => names.Contains(r.Name)).ToList();
            if (members.Count == 0)
            {
                continue;
            }

            text.Append(title).Append(" options:\n");
            foreach (var row in members)
            {
                placed.Add(row.Name);
                text.AppendJoin('\n', row.Lines).Append('\n');
            }

            text.Append('\n');
        }

        var others = rows.Where(r => !placed.Contains(r.Name)).ToList();
        if (others.Count > 0)
        {
            text.Append("Other options:\n");
            foreach (var row in others)
            {
                text.AppendJoin('\n', row.Lines).Append('\n');
            }
        }

        foreach (var line in lines[end..])
        {
            text.Append('\n').Append(line);
        }

        return text.ToString();
    }

    private sealed class GroupedHelpAction : SynchronousCommandLineAction
    {
        /// <summary>As the library's own help: "check --help" shows help, not "argument missing".</summary>
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var command = parseResult.CommandResult.Command;
            var output = Console.Out;
            using var captured = new StringWriter();
            Console.SetOut(captured);
            try
            {
                new HelpAction { MaxWidth = 100 }.Invoke(parseResult);
            }
            finally
            {
                Console.SetOut(output);
            }

            output.Write(Group(captured.ToString(), command));
            return 0;
        }
    }
}
