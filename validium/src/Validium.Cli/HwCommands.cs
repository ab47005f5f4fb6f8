using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Validium.HwTests;

namespace Validium.Cli;

/// <summary>
/// `vld hw …`: the hardware harness a bench engineer runs (hardware.md, "Running the harness on a bench").
/// Each command prints a summary and leaves JSON, Markdown and a PNG chart in --out.
/// </summary>
internal static class HwCommands
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var hw = new Command("hw", "Hardware harness: find devices, run the conformance checks and timings on them, write a report");
        hw.Subcommands.Add(Probe(stdout));
        hw.Subcommands.Add(Test(stdout, stderr));
        hw.Subcommands.Add(Bench(stdout, stderr));
        return hw;
    }

    private static Option<DirectoryInfo> Out(string name) =>
        new("--out") { Description = $"Report directory ({name}.json, {name}.md, {name}.png)", DefaultValueFactory = _ => new DirectoryInfo("hw-report") };

    private static Option<string> DevDir() =>
        new("--dev-dir") { Description = "Where the xdma*, spidev* and gpiochip* device nodes are", DefaultValueFactory = _ => "/dev" };

    private static Option<string[]> Devices(string what) =>
        new("--device")
        {
            Description = $"{what} (repeat, or separate with commas): cpu, gpu-cpu-sim, gpu, fpga-sim, fpga-sim-xdma, fpga-xdmaN, fpga-spidevB.C; default: every one this machine knows",
            AllowMultipleArgumentsPerToken = true,
        };

    private static Option<int> Seed() => new("--seed") { Description = "Seed of every generated input", DefaultValueFactory = _ => 1 };

    private static List<string>? DeviceList(string[]? raw) =>
        raw is null || raw.Length == 0 ? null : [.. raw.SelectMany(d => d.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    private static HarnessOptions Options(string devDir, int seed, TextWriter stderr) =>
        new() { DevDir = devDir, Seed = seed, Log = AccelSetup.Logger<DeviceSession>(stderr) };

    private static Command Probe(TextWriter stdout)
    {
        var json = new Option<bool>("--json") { Description = "Print the probe as JSON instead of a table" };
        var outDir = Out("probe");
        var devDir = DevDir();
        var cmd = new Command("probe", "List ILGPU accelerators, /dev/xdma*, /dev/spidev*, /dev/gpiochip* and the board simulator, and the harness targets they give") { json, outDir, devDir };
        cmd.SetAction(r =>
        {
            var report = DeviceProbe.Run(new HarnessOptions { DevDir = r.GetValue(devDir)! });
            var files = Reports.Write(r.GetValue(outDir)!.FullName, report);
            if (r.GetValue(json))
            {
                stdout.WriteLine(JsonSerializer.Serialize(report, Reports.Json));
                return 0;
            }
            foreach (var d in report.Devices)
                stdout.WriteLine($"{Reports.Kebab(d.Category),-10} {d.Id,-12} {(d.Usable ? "usable " : "not usable")}  {d.Name}: {d.Details} ({d.Status})");
            stdout.WriteLine("targets:");
            foreach (var t in report.Targets)
                stdout.WriteLine($"  {t.Target.Id,-16} {(t.Available ? "available" : "absent   ")}  {(t.Available ? t.Target.Description : t.Reason)}");
            Files(stdout, files);
            return 0;
        });
        return cmd;
    }

    private static Command Test(TextWriter stdout, TextWriter stderr)
    {
        var devices = Devices("Targets to test");
        var inject = new Option<string?>("--inject")
        {
            Description = $"Run against the board simulator with this fault: {string.Join(", ", FaultInjection.All.Select(FaultInjection.Name))}",
        };
        var outDir = Out("test");
        var devDir = DevDir();
        var seed = Seed();
        var cmd = new Command("test", "Conformance checks (bring-up, register link, sensors, G1 MSM and batch Poseidon against Validium.Crypto) per device; exit 1 if any fails")
        {
            devices, inject, outDir, devDir, seed,
        };
        cmd.SetAction(r =>
        {
            FaultKind? fault = r.GetValue(inject) is { } f ? FaultInjection.Parse(f) : null;
            var report = HwTestRunner.Run(Options(r.GetValue(devDir)!, r.GetValue(seed), stderr), DeviceList(r.GetValue(devices)), fault);
            if (report.Fault is not null) stdout.WriteLine($"fault: {report.Fault} ({report.FaultDescription})");
            foreach (var c in report.Checks)
            {
                string ms = c.Status == CheckStatus.Skipped ? "" : c.Milliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
                stdout.WriteLine($"{Status(c.Status),-4}  {c.Device,-16} {c.Check,-15} {ms,10}  {c.Detail}");
                if (c.Fault is not null && c.Observed is { } o)
                {
                    stdout.WriteLine($"      handling: {(o.Handling.Count == 0 ? "none" : string.Join(", ", o.Handling.Select(HwTestRunner.Name)))}");
                    foreach (var d in o.Detected) stdout.WriteLine($"      detected: {d}");
                }
            }
            stdout.WriteLine($"checks: {report.Passed} passed, {report.Failed} failed, {report.Skipped} skipped");
            Files(stdout, Reports.Write(r.GetValue(outDir)!.FullName, report));
            return report.Failed == 0 ? 0 : 1;
        });
        return cmd;
    }

    private static Command Bench(TextWriter stdout, TextWriter stderr)
    {
        var sizes = new Option<string?>("--sizes")
        {
            Description = $"Comma-separated sizes (MSM points, Poseidon hashes), each 1..{HwBenchRunner.MaxSize}; default {string.Join(",", HwBenchRunner.DefaultSizes)}",
        };
        var repeat = new Option<int>("--repeat") { Description = "Timed calls per size (the median and the fastest are reported)", DefaultValueFactory = _ => 3 };
        var devices = Devices("Targets to time");
        var outDir = Out("bench");
        var devDir = DevDir();
        var seed = Seed();
        var cmd = new Command("bench", "Time G1 MSM and batch Poseidon on each device beside the CPU baseline") { sizes, repeat, devices, outDir, devDir, seed };
        cmd.SetAction(r =>
        {
            var list = r.GetValue(sizes) is { } s ? ParseSizes(s) : null;
            var report = HwBenchRunner.Run(Options(r.GetValue(devDir)!, r.GetValue(seed), stderr), list, r.GetValue(repeat), DeviceList(r.GetValue(devices)));
            foreach (var b in report.Rows)
            {
                string timing = b.Status == CheckStatus.Passed
                    ? $"{b.MedianMs,10:0.000} ms  {(b.SpeedupVsCpu is { } x ? $"{x,7:0.00}x CPU" : "")}"
                    : $"{Status(b.Status),10}     {b.Detail}";
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{b.Device,-16} {b.Op,-15} {b.Size,7}  {timing}"));
            }
            Files(stdout, Reports.Write(r.GetValue(outDir)!.FullName, report));
            return report.Rows.Any(b => b.Status == CheckStatus.Failed) ? 1 : 0;
        });
        return cmd;
    }

    private static List<int> ParseSizes(string s)
    {
        var list = new List<int>();
        foreach (var part in s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int n))
                throw new UsageException($"--sizes: '{part}' is not a whole number");
            list.Add(n);
        }
        if (list.Count == 0) throw new UsageException("--sizes lists no size");
        return list;
    }

    private static string Status(CheckStatus s) => s switch
    {
        CheckStatus.Passed => "PASS",
        CheckStatus.Failed => "FAIL",
        _ => "skip",
    };

    private static void Files(TextWriter stdout, ReportFiles f) => stdout.WriteLine($"report: {f.Json}, {f.Markdown}, {f.Chart}");
}
