using System.Globalization;
using KafkaChaos.Experiments;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace KafkaChaos.Cli;

/// <summary>
/// How a run shows its progress. In an interactive terminal: a live panel (cell, time, sent and read
/// with rates, active faults, the last log lines) redrawn in place. When output is redirected or
/// <c>CI</c> is set: plain timestamped lines on stderr, which read the same in a CI log.
/// </summary>
public sealed class LiveProgress : IAsyncDisposable
{
    private const int LogLines = 8;
    private readonly Lock _gate = new();
    private readonly Queue<string> _lines = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task? _render;
    private RunProgress? _progress;

    private LiveProgress(bool interactive)
    {
        Interactive = interactive;
        if (interactive)
        {
            _render = AnsiConsole.Live(Render()).AutoClear(true).StartAsync(async context =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    context.UpdateTarget(Render());
                    try
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System, _stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            });
        }
    }

    public bool Interactive { get; }

    /// <summary>Live when stdout and stderr are a terminal and CI is not set.</summary>
    public static LiveProgress Start() => new(
        !Console.IsOutputRedirected && !Console.IsErrorRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
        && AnsiConsole.Profile.Capabilities.Interactive);

    public void Log(string line)
    {
        var stamped = $"{TimeProvider.System.GetLocalNow():HH:mm:ss} {line}";
        if (!Interactive)
        {
            Console.Error.WriteLine(stamped);
            return;
        }

        lock (_gate)
        {
            _lines.Enqueue(stamped);
            while (_lines.Count > LogLines)
            {
                _lines.Dequeue();
            }
        }
    }

    public void Update(RunProgress progress)
    {
        lock (_gate)
        {
            _progress = progress;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_render is not null)
        {
            await _render;
        }

        _stop.Dispose();
    }

    private IRenderable Render()
    {
        lock (_gate)
        {
            var grid = new Grid().AddColumn().AddColumn();
            if (_progress is { } p)
            {
                grid.AddRow("cell", Markup.Escape($"{p.Cell}/{p.Cells} {p.CellName}"));
                grid.AddRow("time", p.Seconds.ToString("0", CultureInfo.InvariantCulture) + " s");
                grid.AddRow("sent", $"{p.Sent:N0} / {p.Total:N0}  ({p.SendRate:N0}/s)");
                grid.AddRow("answered", $"acked {p.Acknowledged:N0}, failed or unknown {p.NotAcknowledged:N0}, awaiting {p.Awaiting:N0}");
                grid.AddRow("read", $"{p.Read:N0}  ({p.ReadRate:N0}/s), {p.AckedNotRead:N0} acked not yet read");
                grid.AddRow("faults", p.ActiveFaults.Count == 0 ? "[grey]none active[/]" : $"[red]{Markup.Escape(string.Join(", ", p.ActiveFaults))}[/]");
            }
            else
            {
                grid.AddRow("status", "starting");
            }

            var log = string.Join("\n", _lines.Select(Markup.Escape));
            return new Rows(new Panel(grid).Header("kafka-chaos"), new Markup($"[grey]{log}[/]"));
        }
    }
}
