using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Validium.Crypto;

namespace Validium.Accel;

/// <summary>Why a call that was meant for a device ran on the CPU.</summary>
public enum FallbackReason
{
    DeviceAbsent,
    SizeBeyondDevice,
    Timeout,
    DeviceError,
    SpotCheckMismatch,
    Quarantined,
}

public sealed record FallbackEvent(AccelOp Op, Device? Device, FallbackReason Reason, string Detail);

/// <summary>
/// The public face of the accelerator layer: callers name an op, never a device. The dispatcher picks
/// a backend by <see cref="AccelOptions.Mode"/>, runs device calls under a timeout, spot-checks a sample
/// against the CPU, and falls back to the CPU (logged and counted) whenever a device cannot be trusted.
/// </summary>
public sealed partial class AccelDispatcher
{
    public static readonly Meter Meter = new("Validium.Accel");
    private static readonly Counter<long> FallbackCounter = Meter.CreateCounter<long>("validium.accel.fallbacks", description: "device calls that ran on the CPU instead");

    private readonly BackendRegistry registry;
    private readonly AccelOptions options;
    private readonly ILogger logger;
    private readonly Random sampler;
    private readonly object samplerLock = new();
    private readonly ConcurrentDictionary<Device, string> quarantined = new();
    private readonly ConcurrentDictionary<(AccelOp, FallbackReason, Device?), long> fallbackCounts = new();
    private readonly ConcurrentQueue<FallbackEvent> recent = new();

    public AccelDispatcher(BackendRegistry registry, AccelOptions? options = null, ILogger<AccelDispatcher>? logger = null)
    {
        this.registry = registry;
        this.options = options ?? new AccelOptions();
        this.logger = logger ?? NullLogger<AccelDispatcher>.Instance;
        sampler = new Random(this.options.SpotCheckSeed);
        if (this.options.SpotCheckRate is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(options), "SpotCheckRate must be within 0..1");
    }

    public BackendRegistry Registry => registry;

    public AccelOptions Options => options;

    /// <summary>Total fallbacks since start, by op, reason and device.</summary>
    public IReadOnlyDictionary<(AccelOp Op, FallbackReason Reason, Device? Device), long> FallbackCounts => fallbackCounts;

    public long TotalFallbacks => fallbackCounts.Values.Sum();

    /// <summary>The last 100 fallbacks, oldest first.</summary>
    public IReadOnlyList<FallbackEvent> RecentFallbacks => recent.ToArray();

    public IReadOnlyDictionary<Device, string> Quarantined => quarantined;

    /// <summary>The backend a call of this op and size would be sent to now (the CPU when no device applies).</summary>
    public IAccelBackend Select(AccelOp op, int size, int extra = 0) => Pick(op, size, extra, record: false) ?? registry.Cpu;

    private IAccelBackend? Pick(AccelOp op, int size, int extra, bool record)
    {
        var kinds = options.Mode switch
        {
            AccelMode.Cpu => [],
            AccelMode.Gpu => [DeviceKind.Gpu],
            AccelMode.Fpga => [DeviceKind.Fpga],
            _ => new[] { DeviceKind.Gpu, DeviceKind.Fpga },
        };
        if (kinds.Length == 0 || size < options.MinDeviceSize) return null;
        bool explicitDevice = options.Mode != AccelMode.Auto;
        FallbackEvent? why = null;
        foreach (var kind in kinds)
        {
            foreach (var b in registry.For(kind, op))
            {
                if (quarantined.TryGetValue(b.Device, out var q)) { why ??= new(op, b.Device, FallbackReason.Quarantined, q); continue; }
                if (!Fits(b.Capabilities, op, size, extra)) { why ??= new(op, b.Device, FallbackReason.SizeBeyondDevice, $"size {size} is beyond what {b.Device} accepts"); continue; }
                return b;
            }
        }
        if (record && (explicitDevice || why is not null))
            Fallback(why ?? new FallbackEvent(op, null, FallbackReason.DeviceAbsent, $"no {string.Join("/", kinds).ToLowerInvariant()} device implements {op}"));
        return null;
    }

    private static bool Fits(DeviceCapabilities caps, AccelOp op, int size, int extra) => op switch
    {
        AccelOp.MsmG1 or AccelOp.MsmG2 => size <= caps.MaxMsmSize,
        AccelOp.Ntt => size == 0 || System.Numerics.BitOperations.Log2((uint)size) <= caps.MaxNttLog,
        AccelOp.PoseidonBatch => extra <= caps.MaxPoseidonArity,
        _ => true,
    };

    private void Fallback(FallbackEvent e)
    {
        var key = (e.Op, e.Reason, e.Device);
        long n = fallbackCounts.AddOrUpdate(key, 1, (_, v) => v + 1);
        FallbackCounter.Add(1, new("op", e.Op.ToString()), new("reason", e.Reason.ToString()), new("device", e.Device?.ToString() ?? "none"));
        recent.Enqueue(e);
        while (recent.Count > 100) recent.TryDequeue(out _);
        // The first fallback of a kind is news; repeats are counted and kept quiet.
        if (n == 1) logger.LogWarning("accelerator fallback to CPU: {Op} on {Device}: {Reason}: {Detail}", e.Op, e.Device?.ToString() ?? "no device", e.Reason, e.Detail);
        else logger.LogDebug("accelerator fallback to CPU: {Op} on {Device}: {Reason} ({Count} so far)", e.Op, e.Device?.ToString() ?? "no device", e.Reason, n);
    }

    private bool SampleSpotCheck()
    {
        if (options.SpotCheckRate <= 0) return false;
        if (options.SpotCheckRate >= 1) return true;
        lock (samplerLock) return sampler.NextDouble() < options.SpotCheckRate;
    }

    /// <summary>
    /// Runs a device call on its own task so a hung device cannot hold the caller past the timeout; the
    /// caller's own cancellation is passed through and rethrown, never turned into a fallback.
    /// </summary>
    private bool TryOnDevice<T>(IAccelBackend b, AccelOp op, Func<CancellationToken, T> call, CancellationToken ct, out T result)
    {
        result = default!;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var task = Task.Run(() => call(cts.Token), CancellationToken.None);
        bool finished;
        try
        {
            finished = task.Wait(options.DeviceTimeout, ct);
        }
        catch (AggregateException) when (ct.IsCancellationRequested)
        {
            // The device saw the caller's cancellation before Wait did: still the caller's cancellation.
            throw new OperationCanceledException(ct);
        }
        catch (AggregateException ex)
        {
            var inner = ex.InnerException ?? ex;
            Fallback(new(op, b.Device, FallbackReason.DeviceError, $"{inner.GetType().Name}: {inner.Message}"));
            return false;
        }
        if (!finished)
        {
            cts.Cancel();
            Fallback(new(op, b.Device, FallbackReason.Timeout, $"no answer within {options.DeviceTimeout.TotalMilliseconds:0} ms"));
            return false;
        }
        result = task.Result;
        return true;
    }

    private void Mismatch(AccelOp op, IAccelBackend b, string detail)
    {
        quarantined[b.Device] = $"spot-check mismatch on {op}: {detail}";
        Fallback(new(op, b.Device, FallbackReason.SpotCheckMismatch, detail));
    }
}
