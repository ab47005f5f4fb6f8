using System.Diagnostics;
using Validium.Accel;
using Validium.Crypto;
using Validium.FirmwareHost;

namespace Validium.HwTests;

public enum CheckStatus
{
    Passed,
    Failed,
    Skipped,
}

/// <summary>One check on one device; a fault run adds what was injected and whether the board produced it.</summary>
public sealed record CheckResult(string Device, string Check, CheckStatus Status, string Detail, double Milliseconds, Observed? Observed, string? Fault = null, bool? FaultFired = null);

/// <summary>
/// The conformance checks the harness runs on a device: bring-up, the register link and the sensors of a board,
/// then G1 MSM and batch Poseidon through the dispatcher, compared with Validium.Crypto's definitions (Σ s·P one
/// point at a time, and Poseidon hash by hash) on seeded inputs with the awkward cases (zero and −1 scalars, a
/// point at infinity, a repeated point, sizes that are not powers of two).
/// </summary>
public static class Conformance
{
    public const string Init = "init";
    public const string Link = "link";
    public const string Sensors = "sensors";
    public const string MsmG1 = "msm-g1";
    public const string PoseidonBatch = "poseidon-batch";

    public static readonly int[] MsmSizes = [1, 3, 17, 64];
    public static readonly int[] PoseidonArities = [1, 2, 3, 5, 16];
    public const int HashesPerArity = 5;

    /// <summary>Nominal board supplies (UltraScale+ VCCINT 0.85 V, VCCAUX 1.8 V); a reading more than 5 % off fails.</summary>
    public const int VccIntMillivolts = 850;
    public const int VccAuxMillivolts = 1800;

    public static IReadOnlyList<string> ChecksFor(HwTarget t) =>
        t.IsBoard ? [Init, Link, Sensors, MsmG1, PoseidonBatch] : t.Kind == DeviceKind.Cpu ? [MsmG1, PoseidonBatch] : [Init, MsmG1, PoseidonBatch];

    /// <summary>The ops a fault run exercises: the ones the board computes.</summary>
    public static IReadOnlyList<string> OpChecks => [MsmG1, PoseidonBatch];

    public static CheckResult Run(DeviceSession s, string check, int seed, bool requireDevice = true)
    {
        var before = s.Observe();
        var sw = Stopwatch.StartNew();
        var (status, detail) = check switch
        {
            Init => InitCheck(s),
            Link => BoardOnly(s, LinkCheck),
            Sensors => BoardOnly(s, SensorCheck),
            MsmG1 => Op(s, AccelOp.MsmG1, () => Msm(s.Dispatcher, seed)),
            PoseidonBatch => Op(s, AccelOp.PoseidonBatch, () => Hashes(s.Dispatcher, seed)),
            _ => throw new ArgumentException($"unknown check '{check}'"),
        };
        double ms = sw.Elapsed.TotalMilliseconds;
        var observed = Observed.Between(s, before, s.Observe(), check == Init ? s.OpenFailure : null);
        // A device call the dispatcher had to answer on the CPU means the device did not do the work: in a plain run
        // that is a failure even though the answer is right.
        if (status == CheckStatus.Passed && requireDevice && observed.Fallbacks.Count > 0)
            (status, detail) = (CheckStatus.Failed, $"{detail}, but {observed.Fallbacks.Count} call(s) ran on the CPU instead: {observed.Fallbacks[0].Reason}: {observed.Fallbacks[0].Detail}");
        return new(s.Target.Id, check, status, detail, ms, observed);
    }

    private static (CheckStatus, string) InitCheck(DeviceSession s) =>
        s.Backend is { } b ? (CheckStatus.Passed, $"{b.Device}: {b.Capabilities.Details}") : (CheckStatus.Failed, s.OpenFailure ?? "not opened");

    private static (CheckStatus, string) BoardOnly(DeviceSession s, Func<BoardClient, (CheckStatus, string)> check) =>
        s.Client is { } c ? check(c) : (CheckStatus.Skipped, $"board not initialised: {s.OpenFailure}");

    private static (CheckStatus, string) Op(DeviceSession s, AccelOp op, Func<string?> run)
    {
        // A board refused at bring-up still gets its calls, so the report shows where they went (the CPU).
        if (s.Backend is { } b && !b.Capabilities.Supports(op)) return (CheckStatus.Skipped, $"{b.Device} does not implement {op}");
        string? failure = run();
        return failure is null ? (CheckStatus.Passed, OpSummary(op)) : (CheckStatus.Failed, failure);
    }

    private static string OpSummary(AccelOp op) => op == AccelOp.MsmG1
        ? $"{MsmSizes.Length} MSMs (n = {string.Join(", ", MsmSizes)}) equal Σ s·P"
        : $"{PoseidonArities.Length * HashesPerArity} hashes (arity {string.Join(", ", PoseidonArities)}) equal Poseidon";

    private static (CheckStatus, string) LinkCheck(BoardClient c)
    {
        uint[] patterns = [0x0000_0000, 0xFFFF_FFFF, 0xA5A5_A5A5, 0x5A5A_5A5A, 0x0000_0001, 0x8000_0000, 0x1234_5678];
        foreach (uint p in patterns)
        {
            c.Transport.WriteRegister(Reg.Scratch, p);
            uint back = c.Transport.ReadRegister(Reg.Scratch);
            if (back != p) return (CheckStatus.Failed, $"SCRATCH read back 0x{back:X8} after writing 0x{p:X8}. Registers: {c.DumpRegisters()}");
        }
        uint id = c.Transport.ReadRegister(Reg.Id);
        if (id != BoardConstants.IdValue) return (CheckStatus.Failed, $"ID reads 0x{id:X8}, expected 0x{BoardConstants.IdValue:X8}");
        return (CheckStatus.Passed, $"{patterns.Length} SCRATCH patterns read back; ID 0x{id:X8}");
    }

    private static (CheckStatus, string) SensorCheck(BoardClient c)
    {
        var r = c.ReadSensors();
        var problems = new List<string>();
        if (r.TemperatureMilliCelsius >= 85_000) problems.Add($"die at {r.TemperatureMilliCelsius / 1000.0:0.0} °C, at or above the 85 °C throttle point");
        if (Math.Abs(r.VccIntMillivolts - VccIntMillivolts) > VccIntMillivolts / 20) problems.Add($"VCCINT {r.VccIntMillivolts} mV is more than 5 % from {VccIntMillivolts} mV");
        if (Math.Abs(r.VccAuxMillivolts - VccAuxMillivolts) > VccAuxMillivolts / 20) problems.Add($"VCCAUX {r.VccAuxMillivolts} mV is more than 5 % from {VccAuxMillivolts} mV");
        string reading = $"{r.TemperatureMilliCelsius / 1000.0:0.0} °C, VCCINT {r.VccIntMillivolts} mV, VCCAUX {r.VccAuxMillivolts} mV, STATUS {r.Status}";
        return problems.Count == 0 ? (CheckStatus.Passed, reading) : (CheckStatus.Failed, $"{string.Join("; ", problems)} ({reading})");
    }

    private static string? Msm(AccelDispatcher d, int seed)
    {
        foreach (int n in MsmSizes)
        {
            var rng = new Random(seed * 1000 + n);
            var (p, s) = Inputs.Msm(rng, n);
            if (n > 4)
            {
                s[0] = Fr.Zero;
                s[1] = -Fr.One;
                p[2] = G1Affine.Infinity;
                p[3] = p[4];
            }
            var expected = Inputs.NaiveMsm(p, s);
            var got = d.MsmG1(p, s);
            if (!(expected == got)) return $"MSM of {n} points (seed {seed}): got {got.ToAffine()}, expected {expected.ToAffine()}";
        }
        return null;
    }

    private static string? Hashes(AccelDispatcher d, int seed)
    {
        foreach (int arity in PoseidonArities)
        {
            var rng = new Random(seed * 1000 + 500 + arity);
            var input = Inputs.Scalars(rng, HashesPerArity * arity);
            input[0] = Fr.Zero;
            input[^1] = -Fr.One;
            // The reference goes first: it also builds this arity's constants, which a simulated board would
            // otherwise build inside its job, on the job's clock.
            var expected = new Fr[HashesPerArity];
            for (int i = 0; i < HashesPerArity; i++) expected[i] = Poseidon.Hash(input.AsSpan(i * arity, arity));
            var output = new Fr[HashesPerArity];
            d.PoseidonBatch(input, arity, output);
            for (int i = 0; i < HashesPerArity; i++)
                if (expected[i] != output[i]) return $"hash {i} of arity {arity} (seed {seed}): got {output[i]}, expected {expected[i]}";
        }
        return null;
    }
}

/// <summary>Seeded inputs and the plain definitions results are compared with.</summary>
public static class Inputs
{
    public static Fr[] Scalars(Random rng, int n)
    {
        var buf = new byte[32];
        var s = new Fr[n];
        for (int i = 0; i < n; i++)
        {
            rng.NextBytes(buf);
            s[i] = Fr.FromBytesReduced(buf);
        }
        return s;
    }

    public static (G1Affine[] Points, Fr[] Scalars) Msm(Random rng, int n)
    {
        var s = Scalars(rng, n);
        var p = Scalars(rng, n).Select(k => G1Affine.Generator * k).ToArray();
        return (p, s);
    }

    /// <summary>Σ s·P one point at a time: the definition, independent of Pippenger and of every device.</summary>
    public static G1Jacobian NaiveMsm(G1Affine[] p, Fr[] s)
    {
        var acc = G1Jacobian.Infinity;
        for (int i = 0; i < p.Length; i++) acc = acc.Add(p[i].ToJacobian().Multiply(s[i]));
        return acc;
    }
}
