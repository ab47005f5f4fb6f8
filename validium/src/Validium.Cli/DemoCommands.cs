using System.CommandLine;
using System.Runtime.InteropServices;
using Validium.Demo;
using Validium.DevNet;
using Validium.L1.Anvil;
using Validium.Settlement;

namespace Validium.Cli;

/// <summary>`vld demo`: the whole appliance on one machine, traded by simulated traders, settled on L1, with a summary.</summary>
internal static class DemoCommands
{
    public const string DefaultDirectory = "demo-out";

    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var dir = new Option<DirectoryInfo>("--dir") { Description = $"Demo directory (devnet, node data, summary.json, chart); reused when it holds a demo (default ./{DefaultDirectory})" };
        var quick = new Option<bool>("--quick") { Description = $"Bounded run for CI: a small circuit, 6 traders (2 market makers), {DemoOptions.QuickSeconds} s of trading; exits non-zero naming a failed stage" };
        var duration = new Option<int?>("--duration") { Description = $"Seconds of trading (default {DemoOptions.DefaultSeconds}, --quick {DemoOptions.QuickSeconds})" };
        var traders = new Option<int?>("--traders") { Description = "Simulated traders, a third of them market makers (default 6, --quick 3)" };
        var seed = new Option<int>("--seed") { Description = "Seed of the traders' keys, the takers' decisions and the oracle's prices", DefaultValueFactory = _ => 1 };
        var escape = new Option<bool>("--escape") { Description = "Then the escape hatch: operator stopped, a forced withdrawal unserved, freeze, every account escape-withdraws (the contract stays frozen: the next run on the directory starts a new devnet)" };
        var load = new Option<int>("--load") { Description = "Load traders besides them, each placing and cancelling a resting order as fast as the node answers (API throughput and latency; lifts the per-key rate limit)" };
        var reset = new Option<bool>("--reset") { Description = "Remove the demo directory first and start from a new devnet" };
        var repo = new Option<DirectoryInfo?>("--repo") { Description = "Repository holding validium/contracts (default: found above the working directory)" };
        var cmd = new Command("demo",
            "The appliance end to end: anvil, contracts, 3 committee members and the node; market makers and takers trading through the API; " +
            "batches proven and verified on L1; a withdrawal claimed on L1; a summary, summary.json and a throughput/latency chart")
        { dir, quick, duration, traders, seed, escape, load, reset, repo };
        cmd.SetAction(async (r, ct) =>
        {
            var path = r.GetValue(dir)?.FullName ?? Path.GetFullPath(DefaultDirectory);
            var options = DemoOptions.For(path, r.GetValue(quick), r.GetValue(duration), r.GetValue(traders), r.GetValue(seed), r.GetValue(escape), r.GetValue(repo)?.FullName, r.GetValue(load));
            if (options.Validate() is { } problems) throw new UsageException(problems);
            if (r.GetValue(reset)) Reset(path);

            // As for `vld devnet up`: without these, Ctrl-C would end the process before anvil writes its chain.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            void OnSignal(PosixSignalContext c)
            {
                c.Cancel = true;
                stop.Cancel();
            }
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            IDemoReporter display = DemoDisplay.IsTerminal(stdout) ? new LiveDisplay() : new PlainDisplay(stdout);
            DemoSummary summary;
            try
            {
                summary = await DemoRun.RunAsync(options, display, stop.Token);
            }
            catch (DemoStageException e)
            {
                await stderr.WriteLineAsync($"vld demo: {e.Message}");
                if (e.InnerException is AnvilNotFoundException or ContractBuildException) await stderr.WriteLineAsync("vld demo: the pinned node tools are missing: run `npm ci` in the repository");
                return 1;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                await stderr.WriteLineAsync("vld demo: interrupted; the devnet's chain was kept, run again to reuse it");
                return 130;
            }
            await stdout.WriteLineAsync();
            await stdout.WriteLineAsync("summary");
            foreach (var line in summary.Lines()) await stdout.WriteLineAsync("  " + line);
            await stdout.WriteLineAsync($"  summary.json     {Path.Combine(path, DemoRun.SummaryFile)}");
            await stdout.WriteLineAsync($"demo finished in {summary.TotalSeconds:F0} s");
            return 0;
        });
        return cmd;
    }

    /// <summary>Removes a demo directory, and only one: a path holding anything else is refused, so a typo cannot delete a home directory.</summary>
    private static void Reset(string path)
    {
        if (!Directory.Exists(path)) return;
        bool demo = File.Exists(Path.Combine(path, "devnet", DevNetManifest.FileName)) || File.Exists(Path.Combine(path, DemoRun.SummaryFile))
            || !Directory.EnumerateFileSystemEntries(path).Any();
        if (!demo) throw new UsageException($"--reset: {path} does not look like a demo directory (no devnet/{DevNetManifest.FileName}, no {DemoRun.SummaryFile}); remove it yourself");
        Directory.Delete(path, recursive: true);
    }
}
