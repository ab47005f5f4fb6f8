using ScottPlot;

namespace Validium.Demo;

/// <summary>One point of the run: seconds since trading began, accepted orders per second, and order latency (ms) over the sample's window.</summary>
public readonly record struct ProgressSample(double Seconds, double OrdersPerSecond, double LatencyMs);

/// <summary>The summary's PNG: throughput on the left axis and latency on the right, over the run's time.</summary>
public static class DemoChart
{
    public const int Width = 1000, Height = 480;

    public static void Write(string path, IReadOnlyList<ProgressSample> samples)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0) throw new ArgumentException("no samples: the run recorded nothing to chart", nameof(samples));
        if (samples.Any(s => !double.IsFinite(s.Seconds) || !double.IsFinite(s.OrdersPerSecond) || !double.IsFinite(s.LatencyMs)))
            throw new ArgumentException("samples must be finite numbers", nameof(samples));
        using var plot = new Plot();
        double[] xs = [.. samples.Select(s => s.Seconds)];
        var throughput = plot.Add.Scatter(xs, samples.Select(s => s.OrdersPerSecond).ToArray());
        throughput.LegendText = "accepted orders/s";
        var latency = plot.Add.Scatter(xs, samples.Select(s => s.LatencyMs).ToArray());
        latency.LegendText = "order latency (ms)";
        latency.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Left.Label.Text = "orders/s";
        plot.Axes.Right.Label.Text = "latency (ms)";
        plot.XLabel("seconds since trading began");
        plot.Title("Demo run: throughput and latency");
        plot.ShowLegend(Edge.Bottom);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        // Written beside and moved into place, so a reader never sees half a PNG.
        var temp = path + ".tmp.png";
        plot.SavePng(temp, Width, Height);
        File.Move(temp, path, overwrite: true);
    }
}
