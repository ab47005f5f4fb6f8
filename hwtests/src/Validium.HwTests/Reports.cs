using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ScottPlot;

namespace Validium.HwTests;

/// <summary>The files one harness command leaves in --out.</summary>
public sealed record ReportFiles(string Json, string Markdown, string Chart);

/// <summary>
/// Writes each report three ways: JSON for tools, Markdown for people and tickets, and a PNG chart (ScottPlot).
/// Files are written to a temporary name and renamed, so a reader never sees half a report.
/// </summary>
public static class Reports
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    private static readonly Color PassedColor = Color.FromHex("#2E7D32");
    private static readonly Color FailedColor = Color.FromHex("#C62828");
    private static readonly Color SkippedColor = Color.FromHex("#9E9E9E");

    public static ReportFiles Write(string dir, ProbeReport r) =>
        Write(dir, "probe", JsonSerializer.Serialize(r, Json), Markdown(r), plot => ProbeChart(plot, r));

    public static ReportFiles Write(string dir, TestReport r) =>
        Write(dir, r.Fault is null ? "test" : $"test-{r.Fault}", JsonSerializer.Serialize(r, Json), Markdown(r), plot => TestChart(plot, r));

    public static ReportFiles Write(string dir, BenchReport r) =>
        Write(dir, "bench", JsonSerializer.Serialize(r, Json), Markdown(r), plot => BenchChart(plot, r));

    private static ReportFiles Write(string dir, string name, string json, string markdown, Func<Plot, (int Width, int Height)> chart)
    {
        Directory.CreateDirectory(dir);
        var files = new ReportFiles(Path.Combine(dir, name + ".json"), Path.Combine(dir, name + ".md"), Path.Combine(dir, name + ".png"));
        Replace(files.Json, p => File.WriteAllText(p, json));
        Replace(files.Markdown, p => File.WriteAllText(p, markdown));
        using var plot = new Plot();
        var (w, h) = chart(plot);
        Replace(files.Chart, p => plot.SavePng(p, w, h));
        return files;
    }

    private static void Replace(string path, Action<string> write)
    {
        string tmp = path + ".tmp";
        write(tmp);
        File.Move(tmp, path, overwrite: true);
    }

    public static string Kebab<T>(T value) where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    private static string F(double v) => v.ToString(v >= 100 ? "0" : v >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture);

    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string Status(CheckStatus s) => s switch
    {
        CheckStatus.Passed => "PASS",
        CheckStatus.Failed => "FAIL",
        _ => "skip",
    };

    public static string Markdown(ProbeReport r)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# Device probe on {r.Host}, {r.At:yyyy-MM-dd HH:mm} UTC\n\n");
        sb.Append("| Category | Id | Name | Details | Usable | Status |\n| --- | --- | --- | --- | --- | --- |\n");
        foreach (var d in r.Devices)
            sb.Append(CultureInfo.InvariantCulture, $"| {Kebab(d.Category)} | {d.Id} | {Cell(d.Name)} | {Cell(d.Details)} | {(d.Usable ? "yes" : "no")} | {Cell(d.Status)} |\n");
        sb.Append("\n## Harness targets\n\n| Target | Available | Description / reason |\n| --- | --- | --- |\n");
        foreach (var t in r.Targets)
            sb.Append(CultureInfo.InvariantCulture, $"| {t.Target.Id} | {(t.Available ? "yes" : "no")} | {Cell(t.Available ? t.Target.Description : t.Reason)} |\n");
        return sb.ToString();
    }

    public static string Markdown(TestReport r)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# Hardware conformance on {r.Host}, {r.At:yyyy-MM-dd HH:mm} UTC\n\n");
        if (r.Fault is not null) sb.Append(CultureInfo.InvariantCulture, $"Injected fault: **{r.Fault}** ({r.FaultDescription}).\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Seed {r.Seed}. **{r.Passed} passed, {r.Failed} failed, {r.Skipped} skipped.**\n\n");
        sb.Append("| Device | Check | Result | ms | Detail |\n| --- | --- | --- | ---: | --- |\n");
        foreach (var c in r.Checks)
            sb.Append(CultureInfo.InvariantCulture, $"| {c.Device} | {c.Check} | {Status(c.Status)} | {(c.Status == CheckStatus.Skipped ? "" : F(c.Milliseconds))} | {Cell(c.Detail)} |\n");
        var eventful = r.Checks.Where(c => c.Observed is { } o && (o.Any || o.Log.Count > 0)).ToList();
        if (eventful.Count > 0) sb.Append("\n## How faults were detected and handled\n");
        foreach (var c in eventful)
        {
            var o = c.Observed!;
            sb.Append(CultureInfo.InvariantCulture, $"\n### {c.Device} / {c.Check}{(c.Fault is null ? "" : $" with {c.Fault} ({(c.FaultFired == true ? "fired" : "did not fire")})")}\n\n");
            sb.Append(CultureInfo.InvariantCulture, $"- Handling: {(o.Handling.Count == 0 ? "none" : string.Join(", ", o.Handling.Select(HwTestRunner.Name)))}\n");
            foreach (var d in o.Detected) sb.Append(CultureInfo.InvariantCulture, $"- Detected: {d}\n");
            if (o.Log.Count > 0)
            {
                sb.Append("\nDriver log:\n\n```\n");
                foreach (var l in o.Log) sb.Append(CultureInfo.InvariantCulture, $"{l.Level.ToLowerInvariant()}: {l.Source}: {l.Message}\n");
                sb.Append("```\n");
            }
        }
        return sb.ToString();
    }

    public static string Markdown(BenchReport r)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# Hardware bench on {r.Host}, {r.At:yyyy-MM-dd HH:mm} UTC\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Median and fastest of {r.Repeat} timed calls straight on each backend, after one checked call; seed {r.Seed}. ");
        sb.Append("Poseidon is arity 2, size = number of hashes. Speedup = CPU median / device median.\n\n");
        sb.Append("| Device | Op | Size | Median ms | Min ms | vs CPU | Note |\n| --- | --- | ---: | ---: | ---: | ---: | --- |\n");
        foreach (var b in r.Rows)
        {
            string timing = b.Status == CheckStatus.Passed ? $"{F(b.MedianMs)} | {F(b.MinMs)} | {(b.SpeedupVsCpu is { } x ? F(x) + "×" : "")}" : $" | | {Status(b.Status)}";
            sb.Append(CultureInfo.InvariantCulture, $"| {b.Device} | {b.Op} | {b.Size} | {timing} | {Cell(b.Detail)} |\n");
        }
        return sb.ToString();
    }

    private static (int, int) ProbeChart(Plot plot, ProbeReport r)
    {
        var cats = Enum.GetValues<ProbeCategory>();
        var bars = new List<Bar>();
        for (int i = 0; i < cats.Length; i++)
        {
            int usable = r.Devices.Count(d => d.Category == cats[i] && d.Usable);
            int other = r.Devices.Count(d => d.Category == cats[i] && !d.Usable);
            bars.Add(new Bar { Position = i, ValueBase = 0, Value = usable, FillColor = PassedColor });
            bars.Add(new Bar { Position = i, ValueBase = usable, Value = usable + other, FillColor = SkippedColor });
        }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, cats.Length).Select(i => (double)i)], [.. cats.Select(c => Kebab(c))]);
        Legend(plot, ("usable", PassedColor), ("found, not usable", SkippedColor));
        plot.Title($"Devices found on {r.Host}");
        plot.YLabel("count");
        plot.Axes.Margins(bottom: 0);
        return (800, 420);
    }

    private static (int, int) TestChart(Plot plot, TestReport r)
    {
        var bars = new List<Bar>();
        var labels = new List<string>();
        for (int i = 0; i < r.Checks.Count; i++)
        {
            var c = r.Checks[i];
            double pos = r.Checks.Count - 1 - i;
            bars.Add(new Bar
            {
                Position = pos,
                Value = c.Milliseconds,
                FillColor = c.Status switch { CheckStatus.Passed => PassedColor, CheckStatus.Failed => FailedColor, _ => SkippedColor },
                Label = c.Status == CheckStatus.Skipped ? "skipped" : $"{F(c.Milliseconds)} ms",
            });
            labels.Add($"{c.Device} / {c.Check}");
        }
        var plotted = plot.Add.Bars(bars);
        plotted.Horizontal = true;
        plotted.ValueLabelStyle.FontSize = 11;
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, labels.Count).Select(i => (double)(labels.Count - 1 - i))], [.. labels]);
        Legend(plot, ("passed", PassedColor), ("failed", FailedColor), ("skipped", SkippedColor));
        plot.Title(r.Fault is null ? $"Conformance: {r.Passed} passed, {r.Failed} failed, {r.Skipped} skipped" : $"Fault {r.Fault}: {r.Passed} handled, {r.Failed} failed");
        plot.XLabel("time per check (ms)");
        plot.Axes.Margins(left: 0, right: 0.2);
        return (1000, Math.Max(300, 60 + 28 * r.Checks.Count));
    }

    private static (int, int) BenchChart(Plot plot, BenchReport r)
    {
        // Devices with no timing (absent, skipped, failed) stay in the Markdown table; the chart shows what was measured.
        var devices = r.Rows.Where(b => b.SpeedupVsCpu is not null).Select(b => b.Device).Distinct().ToList();
        var groups = r.Rows.Select(b => (b.Op, b.Size)).Distinct().ToList();
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<Bar>();
        double width = 0.8 / Math.Max(1, devices.Count);
        for (int g = 0; g < groups.Count; g++)
            for (int d = 0; d < devices.Count; d++)
            {
                var row = r.Rows.FirstOrDefault(b => b.Device == devices[d] && b.Op == groups[g].Op && b.Size == groups[g].Size);
                if (row?.SpeedupVsCpu is not { } x) continue;
                bars.Add(new Bar { Position = g + (d - (devices.Count - 1) / 2.0) * width, Value = x, Size = width * 0.95, FillColor = palette.GetColor(d), Label = F(x) + "×" });
            }
        plot.Add.Bars(bars).ValueLabelStyle.FontSize = 10;
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, groups.Count).Select(i => (double)i)], [.. groups.Select(g => $"{g.Op}\nn={g.Size}")]);
        var line = plot.Add.HorizontalLine(1);
        line.LinePattern = LinePattern.Dashed;
        Legend(plot, [.. devices.Select((d, i) => (d, palette.GetColor(i)))]);
        plot.Title("Speed relative to the CPU backend (above 1: faster than the CPU)");
        plot.YLabel("CPU median / device median");
        plot.Axes.Margins(bottom: 0);
        return (Math.Max(900, 140 * groups.Count), 480);
    }

    private static void Legend(Plot plot, params (string Label, Color Color)[] items)
    {
        foreach (var (label, color) in items) plot.Legend.ManualItems.Add(new LegendItem { LabelText = label, FillColor = color });
        // Outside the data area: bars of any height stay readable.
        plot.ShowLegend(Edge.Right);
    }
}
