using System.Buffers.Binary;

namespace Validium.Demo.Tests;

public sealed class DemoChartTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("demo-chart-");

    public void Dispose() => dir.Delete(true);

    [Fact]
    public void Writes_a_png_of_the_stated_size()
    {
        var path = Path.Combine(dir.FullName, "out", "run.png");
        DemoChart.Write(path, [new(0, 0, 0), new(1, 120, 3.5), new(2, 150, 4.1)]);
        var bytes = File.ReadAllBytes(path);
        // PNG signature, then the IHDR chunk's width and height (big-endian) at bytes 16..23.
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal(DemoChart.Width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(DemoChart.Height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void Refuses_nothing_to_chart_and_non_finite_samples()
    {
        var path = Path.Combine(dir.FullName, "x.png");
        Assert.Throws<ArgumentException>(() => DemoChart.Write(path, []));
        Assert.Throws<ArgumentException>(() => DemoChart.Write(path, [new(0, double.NaN, 1)]));
        Assert.False(File.Exists(path));
    }
}
