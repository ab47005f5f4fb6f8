using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Validium.Crypto;
using Validium.FirmwareHost;
using Validium.FirmwareHost.Simulator;

namespace Validium.Accel.Fpga.Tests;

public sealed class ListLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> lines = new();

    public bool Has(LogLevel level, string fragment) => lines.Any(l => l.Level == level && l.Message.Contains(fragment, StringComparison.Ordinal));

    public string All => string.Join("\n", lines.Select(l => $"{l.Level}: {l.Message}"));

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        lines.Enqueue((logLevel, formatter(state, exception)));
}

/// <summary>
/// A simulated board behind the FPGA backend behind a dispatcher in FPGA mode, with the dispatcher's log and the
/// <c>validium.accel.fallbacks</c> measurements for this board only (the link name is unique per harness, so
/// tests running in parallel do not see each other's fallbacks).
/// </summary>
public sealed class Harness : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<(long Value, string Reason)> fallbacks = new();
    private readonly string link = $"xdma-sim-{Guid.NewGuid():N}";

    public Harness(AccelOptions? options = null, BoardClientOptions? clientOptions = null)
    {
        Board = new SimulatedBoard();
        Backend = new FpgaBackend(new BoardClient(SimulatedXdma.Transport(Board, link), clientOptions ?? new BoardClientOptions { JobTimeout = TimeSpan.FromSeconds(10) }, BoardLog));
        Registry = new BackendRegistry(new Accel.Cpu.CpuBackend(1));
        Registry.Register(Backend);
        options ??= new AccelOptions();
        options.Mode = AccelMode.Fpga;
        Dispatcher = new AccelDispatcher(Registry, options, Log);
        listener.InstrumentPublished = (inst, l) =>
        {
            if (inst.Meter == AccelDispatcher.Meter && inst.Name == "validium.accel.fallbacks") l.EnableMeasurementEvents(inst);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string device = "", reason = "";
            foreach (var t in tags)
            {
                if (t.Key == "device") device = t.Value?.ToString() ?? "";
                if (t.Key == "reason") reason = t.Value?.ToString() ?? "";
            }
            if (device.Contains(link, StringComparison.Ordinal)) fallbacks.Enqueue((value, reason));
        });
        listener.Start();
    }

    public SimulatedBoard Board { get; }

    public FpgaBackend Backend { get; }

    public BackendRegistry Registry { get; }

    public AccelDispatcher Dispatcher { get; }

    public ListLogger<AccelDispatcher> Log { get; } = new();

    public ListLogger<BoardClient> BoardLog { get; } = new();

    public long FallbacksMetric(FallbackReason reason) => fallbacks.Where(f => f.Reason == reason.ToString()).Sum(f => f.Value);

    public static (G1Affine[] Points, Fr[] Scalars) MsmInput(int seed, int n)
    {
        var rng = new Random(seed);
        var buf = new byte[32];
        Fr Next()
        {
            rng.NextBytes(buf);
            return Fr.FromBytesReduced(buf);
        }
        var s = new Fr[n];
        var p = new G1Affine[n];
        for (int i = 0; i < n; i++)
        {
            s[i] = Next();
            p[i] = G1Affine.Generator * Next();
        }
        return (p, s);
    }

    /// <summary>Σ s·P one point at a time: the plain definition, independent of Pippenger and the board.</summary>
    public static G1Jacobian Reference(G1Affine[] p, Fr[] s)
    {
        var acc = G1Jacobian.Infinity;
        for (int i = 0; i < p.Length; i++) acc = acc.Add(p[i].ToJacobian().Multiply(s[i]));
        return acc;
    }

    public void Dispose()
    {
        listener.Dispose();
        Registry.Dispose();
        Board.Dispose();
    }
}
