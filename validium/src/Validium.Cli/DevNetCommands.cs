using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Validium.DevNet;
using Validium.L1.Anvil;
using Validium.L1.Rpc;
using Validium.Settlement;

namespace Validium.Cli;

/// <summary>`vld devnet …`: the one-machine network (anvil, contracts, committee, oracle feeder) a node and the demo run on.</summary>
internal static class DevNetCommands
{
    public static Command Build(TextWriter stdout)
    {
        var devnet = new Command("devnet", "A one-machine network: anvil, the contracts, a local committee and an oracle feeder");
        devnet.Subcommands.Add(Up(stdout));
        return devnet;
    }

    private static Command Up(TextWriter stdout)
    {
        var dir = new Option<DirectoryInfo>("--dir") { Description = "The devnet's directory: created when empty, brought back up when it holds a devnet", Required = true };
        var members = new Option<int>("--members") { Description = "Committee size", DefaultValueFactory = _ => 3 };
        var threshold = new Option<int>("--threshold") { Description = "Committee signatures needed", DefaultValueFactory = _ => 2 };
        var anvilPort = new Option<int?>("--anvil-port") { Description = "anvil's port (default: the previous run's, else a free one)" };
        var blockTime = new Option<double?>("--block-time") { Description = "Seconds between blocks (default: a block per transaction)" };
        var oracleInterval = new Option<double>("--oracle-interval") { Description = "Seconds between oracle rounds (0: no feeder)", DefaultValueFactory = _ => 5 };
        var priceSeed = new Option<ulong>("--price-seed") { Description = "Seed of the oracle's random-walk prices", DefaultValueFactory = _ => 1 };
        var circuit = new Option<FileInfo?>("--circuit") { Description = "Batch circuit configuration (circuit.json) for a new devnet; default: a small one (DevNetOptions.DefaultCircuit)" };
        var memberProcesses = new Option<bool>("--member-processes") { Description = "Run each member as its own `vld dac member` process (to kill one for reliability tests)" };
        var repo = new Option<DirectoryInfo?>("--repo") { Description = "Repository holding validium/contracts (default: found above the working directory)" };
        var cmd = new Command("up",
            "Start (or restart) a devnet and run it until Ctrl-C: anvil with its chain in DIR/anvil/state.json, the contracts, the committee members " +
            "and the oracle feeder; DIR/devnet.json says how to reach them")
        { dir, members, threshold, anvilPort, blockTime, oracleInterval, priceSeed, circuit, memberProcesses, repo };
        cmd.SetAction(async (r, ct) =>
        {
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(c =>
            {
                c.SingleLine = true;
                c.TimestampFormat = "HH:mm:ss ";
            }).SetMinimumLevel(LogLevel.Information));
            var options = new DevNetOptions
            {
                Directory = r.GetValue(dir)!.FullName,
                Members = r.GetValue(members),
                Threshold = r.GetValue(threshold),
                AnvilPort = r.GetValue(anvilPort),
                BlockTimeSeconds = r.GetValue(blockTime),
                OracleIntervalSeconds = r.GetValue(oracleInterval),
                PriceSeed = r.GetValue(priceSeed),
                Circuit = r.GetValue(circuit) is { } file ? CircuitFile.Read(file) : null,
                Repository = r.GetValue(repo)?.FullName,
                LoggerFactory = loggers,
                MemberCommand = r.GetValue(memberProcesses) ? VldCommand() : null,
                MemberLogging = l => l.AddSimpleConsole(c => c.SingleLine = true).SetMinimumLevel(LogLevel.Warning),
            };
            DevNetwork net;
            try
            {
                net = await DevNetwork.UpAsync(options, ct);
            }
            catch (Exception e) when (e is AnvilNotFoundException or ContractBuildException or InvalidOperationException or JsonRpcException or RpcTransportException)
            {
                throw new UsageException($"devnet up: {e.Message}");
            }
            await using (net)
            {
                // System.CommandLine 2.0.0 leaves termination unhandled (its ProcessTerminationTimeout is null): without
                // these, Ctrl-C or SIGTERM would end the process before anvil writes the chain to its state file.
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                void OnSignal(PosixSignalContext c)
                {
                    c.Cancel = true;
                    stop.Cancel();
                }
                using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
                using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
                await Describe(net, stdout);
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C / SIGTERM: stop cleanly, so anvil writes the whole chain to its state file.
                }
            }
            await stdout.WriteLineAsync("devnet stopped");
            return 0;
        });
        return cmd;
    }

    /// <summary>How to run this same vld again: its apphost, or dotnet with its assembly.</summary>
    private static string[] VldCommand()
    {
        var process = Environment.ProcessPath ?? throw new UsageException("cannot tell how this vld was started: run without --member-processes");
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? [process, typeof(VldApp).Assembly.Location] : [process];
    }

    private static async Task Describe(DevNetwork net, TextWriter stdout)
    {
        var m = net.Manifest;
        await stdout.WriteLineAsync($"manifest   {net.ManifestPath}");
        await stdout.WriteLineAsync($"rpc        {m.Rpc}  (chain {m.ChainId}, state in {m.Resolve(m.AnvilState)})");
        await stdout.WriteLineAsync($"validium   {m.Contracts.Validium}");
        await stdout.WriteLineAsync($"oracle     {m.Contracts.Oracle}  ({(m.Oracle.IntervalSeconds > 0 ? $"a round every {m.Oracle.IntervalSeconds} s" : "no feeder")})");
        await stdout.WriteLineAsync($"token      {m.Traders.Token}{(m.Traders.TokenMintable ? "  (TestToken: anyone may mint)" : "")}");
        foreach (var member in m.Committee.Members)
            await stdout.WriteLineAsync($"member {member.Index}   {member.Address}  {member.Url}");
        await stdout.WriteLineAsync($"threshold  {m.Committee.Threshold} of {m.Committee.Members.Length}");
        await stdout.WriteLineAsync($"operator   {m.Operator.Address}  {m.Resolve(m.Operator.Keystore)}  (password in {m.Resolve(m.PasswordFile)})");
        await stdout.WriteLineAsync($"batcher    {m.Resolve(m.BatcherDir)}");
        await stdout.WriteLineAsync("running; Ctrl-C stops it (run up again on the same directory to resume)");
        await stdout.FlushAsync(CancellationToken.None);
    }
}
