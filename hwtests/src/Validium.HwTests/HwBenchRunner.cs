using System.Diagnostics;
using Validium.Accel;
using Validium.Crypto;

namespace Validium.HwTests;

/// <summary>One timed op at one size on one device. Speedup is the CPU's median over this device's (above 1: faster).</summary>
public sealed record BenchRow(string Device, string Op, int Size, CheckStatus Status, double MedianMs, double MinMs, double? SpeedupVsCpu, string Detail);

public sealed record BenchReport(DateTimeOffset At, string Host, int Seed, int Repeat, IReadOnlyList<int> Sizes, IReadOnlyList<TargetAvailability> Targets, IReadOnlyList<BenchRow> Rows);

/// <summary>
/// <c>vld hw bench</c>: G1 MSM and batch Poseidon (arity 2, size = number of hashes) timed straight on each backend,
/// after one untimed call whose result must equal the CPU's, so a wrong device is never timed.
/// </summary>
public static class HwBenchRunner
{
    public static readonly int[] DefaultSizes = [64, 256, 1024];

    /// <summary>Bound on one size: the harness is a bench check, not a load test (BenchmarkDotNet suites do that).</summary>
    public const int MaxSize = 1 << 16;

    private static readonly TimeSpan BenchJobTimeout = TimeSpan.FromSeconds(60);

    public static BenchReport Run(HarnessOptions options, IReadOnlyList<int>? sizes = null, int repeat = 3, IReadOnlyList<string>? devices = null, ProbeReport? probe = null)
    {
        sizes = sizes is null || sizes.Count == 0 ? DefaultSizes : sizes;
        foreach (int n in sizes)
            if (n < 1 || n > MaxSize) throw new ArgumentException($"size {n} is outside 1..{MaxSize}");
        if (repeat < 1 || repeat > 100) throw new ArgumentException($"--repeat {repeat} is outside 1..100");
        probe ??= DeviceProbe.Run(options);
        var targets = HwTestRunner.Select(probe, devices, null);
        var rows = new List<BenchRow>();
        foreach (var t in targets)
        {
            if (!t.Available)
            {
                foreach (var op in Ops) rows.AddRange(sizes.Select(n => new BenchRow(t.Target.Id, OpName(op), n, CheckStatus.Skipped, 0, 0, null, t.Reason)));
                continue;
            }
            // Timings are not fault rehearsals: a big job on a loaded machine must not trip the simulator's short job timeout.
            using var s = DeviceSession.Open(t.Target, options with { SimulatorJobTimeout = BenchJobTimeout, HardwareJobTimeout = BenchJobTimeout });
            foreach (var op in Ops)
                foreach (int n in sizes)
                    rows.Add(Time(s, op, n, repeat, options.Seed));
        }
        var withSpeedup = rows.Select(r =>
        {
            var cpu = rows.FirstOrDefault(c => c.Device == Targets.Cpu && c.Op == r.Op && c.Size == r.Size && c.Status == CheckStatus.Passed);
            return r.Status == CheckStatus.Passed && cpu is not null ? r with { SpeedupVsCpu = cpu.MedianMs / r.MedianMs } : r;
        }).ToList();
        return new(DateTimeOffset.UtcNow, probe.Host, options.Seed, repeat, sizes, targets, withSpeedup);
    }

    private static readonly AccelOp[] Ops = [AccelOp.MsmG1, AccelOp.PoseidonBatch];

    public static string OpName(AccelOp op) => op == AccelOp.MsmG1 ? Conformance.MsmG1 : Conformance.PoseidonBatch;

    private static BenchRow Time(DeviceSession s, AccelOp op, int n, int repeat, int seed)
    {
        string name = OpName(op);
        if (s.Backend is not { } b) return new(s.Target.Id, name, n, CheckStatus.Failed, 0, 0, null, s.OpenFailure ?? "not opened");
        if (!b.Capabilities.Supports(op)) return new(s.Target.Id, name, n, CheckStatus.Skipped, 0, 0, null, $"{b.Device} does not implement {op}");
        if (op == AccelOp.MsmG1 && n > b.Capabilities.MaxMsmSize) return new(s.Target.Id, name, n, CheckStatus.Skipped, 0, 0, null, $"{b.Device} takes at most {b.Capabilities.MaxMsmSize} points");
        var rng = new Random(seed * 7919 + n);
        Func<bool> call;
        Func<bool> verify;
        if (op == AccelOp.MsmG1)
        {
            var (p, sc) = Inputs.Msm(rng, n);
            var expected = s.Registry.Cpu.MsmG1(p, sc);
            verify = () => b.MsmG1(p, sc) == expected;
            call = () => b.MsmG1(p, sc).IsInfinity;
        }
        else
        {
            var input = Inputs.Scalars(rng, 2 * n);
            var expected = new Fr[n];
            s.Registry.Cpu.PoseidonBatch(input, 2, expected);
            var output = new Fr[n];
            verify = () =>
            {
                b.PoseidonBatch(input, 2, output);
                return output.AsSpan().SequenceEqual(expected);
            };
            call = () =>
            {
                b.PoseidonBatch(input, 2, output);
                return output[0] == Fr.Zero;
            };
        }
        try
        {
            if (!verify()) return new(s.Target.Id, name, n, CheckStatus.Failed, 0, 0, null, "result differs from the CPU backend's; not timed");
            var times = new double[repeat];
            for (int i = 0; i < repeat; i++)
            {
                var sw = Stopwatch.StartNew();
                call();
                times[i] = sw.Elapsed.TotalMilliseconds;
            }
            Array.Sort(times);
            return new(s.Target.Id, name, n, CheckStatus.Passed, times[repeat / 2], times[0], null, $"{b.Device}");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new(s.Target.Id, name, n, CheckStatus.Failed, 0, 0, null, $"{ex.GetType().Name}: {ex.Message}");
        }
    }
}
