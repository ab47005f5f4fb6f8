using System.CommandLine;
using System.Diagnostics;
using Validium.Accel;
using Validium.Accel.Gpu;
using Validium.Accel.Inputs;
using Validium.Crypto;

namespace Validium.Cli;

/// <summary>`vld accel …`: what devices this machine has, and MSMs on them for people and peer tools.</summary>
internal static class AccelCommands
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var accel = new Command("accel", "Accelerator devices and operations");
        accel.Subcommands.Add(Devices(stdout));
        accel.Subcommands.Add(Msm(stdout, stderr));
        return accel;
    }

    private static Command Devices(TextWriter stdout)
    {
        var emulate = new Option<bool>("--allow-emulation") { Description = "Also list ILGPU's CPU accelerator (kernels emulated on the host)" };
        var cmd = new Command("devices", "List the accelerator devices and what they can do") { emulate };
        cmd.SetAction(r =>
        {
            stdout.WriteLine("ILGPU sees:");
            foreach (var info in GpuBackend.EnumerateDevices()) stdout.WriteLine($"  {info}");
            stdout.WriteLine("Registered backends:");
            using var registry = AccelSetup.CreateRegistry(r.GetValue(emulate), stdout);
            foreach (var b in registry.Backends)
            {
                var c = b.Capabilities;
                stdout.WriteLine($"{b.Device}");
                stdout.WriteLine($"  ops: {string.Join(", ", c.Ops.Order())}");
                stdout.WriteLine($"  limits: MSM ≤ {(c.MaxMsmSize == int.MaxValue ? "unbounded" : c.MaxMsmSize.ToString())} points, NTT ≤ 2^{c.MaxNttLog}, Poseidon arity ≤ {c.MaxPoseidonArity}");
                stdout.WriteLine($"  {c.Details}");
            }
            return 0;
        });
        return cmd;
    }

    private static Command Msm(TextWriter stdout, TextWriter stderr)
    {
        var points = new Option<FileInfo?>("--points") { Description = "JSON array of [\"x\",\"y\"] decimal points" };
        var scalars = new Option<FileInfo?>("--scalars") { Description = "JSON array of decimal scalars" };
        var size = new Option<int?>("--size") { Description = "Generate this many random points and scalars instead of reading files" };
        var seed = new Option<int>("--seed") { Description = "Seed for --size", DefaultValueFactory = _ => 1 };
        var backend = new Option<string>("--backend") { Description = "auto, cpu, gpu or fpga", DefaultValueFactory = _ => "cpu" };
        var emulate = new Option<bool>("--allow-emulation") { Description = "Let --backend gpu use ILGPU's CPU accelerator when no GPU exists" };
        var repeat = new Option<int>("--repeat") { Description = "Run this many times and report the fastest", DefaultValueFactory = _ => 1 };
        var export = new Option<DirectoryInfo?>("--export")
        {
            Description = "Also write the inputs as points.bin (x, y little-endian Montgomery, 64 bytes each) and scalars.bin (little-endian, 32 bytes each): ffjavascript's multiExpAffine layout",
        };
        var cmd = new Command("msm", "Multi-scalar multiplication over BN254 G1; prints x, y (decimal) and the time")
        {
            points, scalars, size, seed, backend, emulate, repeat, export,
        };
        cmd.SetAction(r =>
        {
            G1Affine[] pts;
            Fr[] sc;
            var sw = Stopwatch.StartNew();
            if (r.GetValue(size) is { } n)
            {
                if (n < 0) throw new UsageException("--size must not be negative");
                (pts, sc) = MsmInputs.Generate(n, r.GetValue(seed));
            }
            else
            {
                var pf = r.GetValue(points) ?? throw new UsageException("give --points and --scalars, or --size");
                var sf = r.GetValue(scalars) ?? throw new UsageException("give --scalars with --points");
                pts = MsmInputs.ReadPoints(ReadFile(pf), pf.Name);
                sc = MsmInputs.ReadScalars(ReadFile(sf), sf.Name);
                if (pts.Length != sc.Length) throw new UsageException($"{pf.Name} has {pts.Length} points but {sf.Name} has {sc.Length} scalars");
            }
            var prepared = sw.Elapsed;
            if (r.GetValue(export) is { } dir) Export(dir, pts, sc);
            int runs = r.GetValue(repeat);
            if (runs < 1) throw new UsageException("--repeat must be at least 1");
            var mode = AccelOptions.ParseMode(r.GetValue(backend)!);
            using var registry = AccelSetup.CreateRegistry(r.GetValue(emulate), stderr);
            var dispatcher = new AccelDispatcher(registry, new AccelOptions { Mode = mode, SpotCheckRate = 0 }, AccelSetup.Logger<AccelDispatcher>(stderr));
            var device = dispatcher.Select(AccelOp.MsmG1, pts.Length).Device;
            var result = G1Affine.Infinity;
            var elapsed = TimeSpan.MaxValue;
            for (int i = 0; i < runs; i++)
            {
                sw.Restart();
                result = dispatcher.MsmG1(pts, sc).ToAffine();
                if (sw.Elapsed < elapsed) elapsed = sw.Elapsed;
            }
            stdout.WriteLine(result.X.ToString());
            stdout.WriteLine(result.Y.ToString());
            stdout.WriteLine($"time: {elapsed.TotalMilliseconds:0.0} ms for {pts.Length} points on {device}{(runs > 1 ? $" (fastest of {runs})" : "")}");
            return 0;
        });
        return cmd;
    }

    private static void Export(DirectoryInfo dir, G1Affine[] pts, Fr[] sc)
    {
        dir.Create();
        var pb = new byte[pts.Length * 64];
        for (int i = 0; i < pts.Length; i++)
        {
            pts[i].X.WriteLittleEndianMontgomery(pb.AsSpan(i * 64, 32));
            pts[i].Y.WriteLittleEndianMontgomery(pb.AsSpan(i * 64 + 32, 32));
        }
        var sb = new byte[sc.Length * 32];
        for (int i = 0; i < sc.Length; i++) sc[i].ToCanonical().WriteLittleEndian(sb.AsSpan(i * 32, 32));
        File.WriteAllBytes(Path.Combine(dir.FullName, "points.bin"), pb);
        File.WriteAllBytes(Path.Combine(dir.FullName, "scalars.bin"), sb);
    }

    private static string ReadFile(FileInfo f)
    {
        if (!f.Exists) throw new UsageException($"{f.FullName} does not exist");
        return File.ReadAllText(f.FullName);
    }
}
