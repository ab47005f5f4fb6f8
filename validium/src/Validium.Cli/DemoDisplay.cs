using System.Globalization;
using Spectre.Console;
using Validium.Demo;

namespace Validium.Cli;

internal static class DemoDisplay
{
    /// <summary>A live display only on the process's own terminal; a redirected stdout (CI, a pipe, a test's writer) gets plain lines.</summary>
    public static bool IsTerminal(TextWriter stdout) => ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;

    public static string Line(DemoProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"{p.Seconds,5:F0} s  orders {p.Accepted,6:N0} accepted / {p.Sent,6:N0} sent ({p.OrdersPerSecond,5:F1}/s, p50 {p.LatencyP50Ms,5:F1} ms)  " +
        $"trades {p.Trades,4}  batches cut {p.BatchesCut,3} proven {p.BatchesProven,3} on L1 {p.BatchesOnL1,3}  last proof {(p.LastProofSeconds is { } s ? $"{s:F2} s" : "-")}");
}

/// <summary>Stages and lines as they come, and a progress line every few seconds while trading: for logs and CI.</summary>
internal sealed class PlainDisplay(TextWriter stdout) : IDemoReporter
{
    public void Stage(string name, string what) => Write($"== {name}: {what}");

    public void Line(string text) => Write("   " + text);

    public async Task WatchAsync(Func<DemoProgress> read, Task trading)
    {
        while (!trading.IsCompleted)
        {
            await Task.WhenAny(trading, Task.Delay(TimeSpan.FromSeconds(5)));
            Write("   " + DemoDisplay.Line(read()));
        }
        await trading;
    }

    private void Write(string text)
    {
        lock (stdout)
        {
            stdout.WriteLine(text);
            stdout.Flush();
        }
    }
}

/// <summary>The terminal's view: stage headers, and a live table (Spectre.Console) refreshed twice a second while trading.</summary>
internal sealed class LiveDisplay : IDemoReporter
{
    public void Stage(string name, string what) => AnsiConsole.MarkupLine($"[bold blue]{Markup.Escape(name)}[/] {Markup.Escape(what)}");

    public void Line(string text) => AnsiConsole.MarkupLine($"  [grey]{Markup.Escape(text)}[/]");

    public async Task WatchAsync(Func<DemoProgress> read, Task trading)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("trading").AddColumn(new TableColumn("").RightAligned());
        await AnsiConsole.Live(table).StartAsync(async ctx =>
        {
            while (true)
            {
                Fill(table, read());
                ctx.Refresh();
                if (trading.IsCompleted) break;
                await Task.WhenAny(trading, Task.Delay(500));
            }
        });
        await trading;
    }

    private static void Fill(Table table, DemoProgress p)
    {
        table.Rows.Clear();
        static string N(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        table.AddRow("elapsed", $"{N(p.Seconds, "F0")} s");
        table.AddRow("orders accepted / sent / refused", $"{N(p.Accepted, "N0")} / {N(p.Sent, "N0")} / {N(p.Rejected, "N0")}");
        table.AddRow("accepted orders/s (last second)", N(p.OrdersPerSecond, "F1"));
        table.AddRow("order latency p50 (last second)", $"{N(p.LatencyP50Ms, "F1")} ms");
        table.AddRow("trades in proven batches", N(p.Trades, "N0"));
        table.AddRow("batches cut / proven / on L1", $"{p.BatchesCut} / {p.BatchesProven} / {p.BatchesOnL1}");
        table.AddRow("last proof", p.LastProofSeconds is { } s ? $"{N(s, "F2")} s" : "-");
    }
}
