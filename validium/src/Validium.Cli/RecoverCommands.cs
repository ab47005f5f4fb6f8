using System.CommandLine;
using System.Text.Json.Nodes;
using Validium.Accel;
using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.L1.Rpc;
using Validium.Settlement;
using Validium.State;

namespace Validium.Cli;

/// <summary>`vld recover` and `vld escape-proof`: the state rebuilt from L1 and any one committee member, and the proofs users exit with.</summary>
internal static class RecoverCommands
{
    public static IEnumerable<Command> Build(TextWriter stdout, TextWriter stderr)
    {
        yield return Recover(stdout, stderr);
        yield return EscapeProofCommand(stdout, stderr);
    }

    private sealed record Source(Option<string?> Rpc, Option<string?> Contract, Option<string[]> Dac, Option<FileInfo?> Circuit, Option<long> FromBlock);

    private static Source SourceOptions(bool required) => new(
        new Option<string?>("--rpc") { Description = "JSON-RPC endpoint of the L1 node", Required = required },
        new Option<string?>("--contract") { Description = "The Validium contract's address", Required = required },
        new Option<string[]>("--dac") { Description = "Committee member URLs; any one that serves each batch is enough (not needed for batches whose data was posted on L1)", AllowMultipleArgumentsPerToken = true },
        new Option<FileInfo?>("--circuit") { Description = "The batch circuit's configuration (circuit.json, as `vld batch demo` writes it); by default read from the contract's verifier (circuitConfig())" },
        new Option<long>("--from-block") { Description = "First block to scan for events (the block before the contract's deployment, or 0)", DefaultValueFactory = _ => 0 });

    private static void Add(Command cmd, Source s)
    {
        cmd.Options.Add(s.Rpc);
        cmd.Options.Add(s.Contract);
        cmd.Options.Add(s.Dac);
        cmd.Options.Add(s.Circuit);
        cmd.Options.Add(s.FromBlock);
    }

    private static Command Recover(TextWriter stdout, TextWriter stderr)
    {
        var s = SourceOptions(required: true);
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Directory for the recovered state (state/) and snapshot.json", Required = true };
        var cmd = new Command("recover", "Rebuild the state from L1 (batches, roots, deposits, batch data posted on L1) and the data of any one committee member; each batch is checked against its committed root") { outDir };
        Add(cmd, s);
        cmd.SetAction(async (r, ct) =>
        {
            var (snapshot, _) = await RunRecovery(r, s, r.GetValue(outDir)!.FullName, stdout, stderr, ct);
            await stdout.WriteLineAsync($"recovered {snapshot.BatchNumber} batch(es); root {snapshot.Root}; {snapshot.Mirror.Accounts.Count} account(s); " +
                $"snapshot in {Path.Combine(r.GetValue(outDir)!.FullName, StateRecovery.SnapshotFile)}");
            return 0;
        });
        return cmd;
    }

    private static Command EscapeProofCommand(TextWriter stdout, TextWriter stderr)
    {
        var state = new Option<DirectoryInfo?>("--state") { Description = "A directory `vld recover --out` wrote" };
        var account = new Option<ulong>("--account") { Description = "The account number", Required = true };
        var s = SourceOptions(required: false);
        var cmd = new Command("escape-proof", "Print what escapeWithdraw needs for one account (leaf, positions, Merkle siblings) from a recovered state, or recover first with --rpc/--contract/--dac [--circuit]")
        {
            state, account,
        };
        Add(cmd, s);
        cmd.SetAction(async (r, ct) =>
        {
            var dir = r.GetValue(state)?.FullName;
            string? scratch = null;
            try
            {
                if (dir is null)
                {
                    if (r.GetValue(s.Rpc) is null) throw new UsageException("give --state DIR (a `vld recover` output), or --rpc, --contract and --dac to recover first");
                    dir = scratch = Directory.CreateTempSubdirectory("vld-escape-").FullName;
                    await RunRecovery(r, s, dir, TextWriter.Null, stderr, ct);
                }
                var snapshotFile = Path.Combine(dir, StateRecovery.SnapshotFile);
                if (!File.Exists(snapshotFile)) throw new UsageException($"--state {dir} has no {StateRecovery.SnapshotFile}: not a `vld recover` output");
                var snapshot = StateSnapshot.FromJson(await File.ReadAllTextAsync(snapshotFile, ct));
                using var store = StateStore.Open(Path.Combine(dir, StateRecovery.StateDirectory), Cpu());
                try
                {
                    snapshot.CheckAgainst(store);
                    await stdout.WriteLineAsync(EscapeProof.ToJson(EscapeProof.Build(store, snapshot, r.GetValue(account))));
                }
                catch (InvalidDataException e)
                {
                    throw new UsageException(e.Message);
                }
            }
            finally
            {
                if (scratch is not null) Directory.Delete(scratch, recursive: true);
            }
            return 0;
        });
        return cmd;
    }

    private static AccelDispatcher Cpu() => new(new BackendRegistry(), new AccelOptions { Mode = AccelMode.Cpu });

    private static async Task<(StateSnapshot, IReadOnlyList<RecoveredBatch>)> RunRecovery(ParseResult r, Source s, string outDir, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var rpcText = r.GetValue(s.Rpc) ?? throw new UsageException("--rpc is required");
        if (!Uri.TryCreate(rpcText, UriKind.Absolute, out var rpcUrl) || rpcUrl.Scheme is not ("http" or "https")) throw new UsageException($"--rpc must be an http(s) URL, got '{rpcText}'");
        var contractText = r.GetValue(s.Contract) ?? throw new UsageException("--contract is required");
        if (!EthereumAddress.TryParse(contractText, out var contract)) throw new UsageException($"--contract '{contractText}' is not an address");
        var dacUrls = (r.GetValue(s.Dac) ?? []).SelectMany(u => u.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        var members = dacUrls.Select(u => Uri.TryCreate(u, UriKind.Absolute, out var m) && m.Scheme is "http" or "https" ? m : throw new UsageException($"--dac '{u}' is not an http(s) URL")).ToArray();
        var config = r.GetValue(s.Circuit) is { } circuitFile ? CircuitFile.Read(circuitFile) : null;

        using var rpc = new JsonRpcClient(rpcUrl, new JsonRpcClientOptions { MaxAttempts = 3, AttemptTimeout = TimeSpan.FromSeconds(30) });
        var eth = new EthClient(rpc);
        using var dac = members.Length == 0 ? null : new DacReader(members);
        try
        {
            var history = await L1History.ReadAsync(eth, contract, r.GetValue(s.FromBlock), ct: ct);
            // After the history, which says plainly when there is no contract at the address at all.
            config ??= await L1History.ReadCircuitConfigAsync(eth, contract, ct);
            await stdout.WriteLineAsync($"L1: {history.Batches.Count} batch(es), {history.Operations.Count} L1 operation(s) up to block {history.ToBlock}");
            var result = await StateRecovery.RecoverAsync(history, new BatchDataSource(eth, contract, dac), config, outDir, Cpu(), stdout.WriteLineAsync, ct);
            foreach (var w in dac?.Warnings ?? []) await stderr.WriteLineAsync($"vld: warning: {w}");
            return result;
        }
        catch (Exception e) when (e is RpcTransportException or JsonRpcException or BatchDataUnavailableException or RootMismatchException or InvalidDataException or InvalidOperationException)
        {
            foreach (var w in dac?.Warnings ?? []) await stderr.WriteLineAsync($"vld: warning: {w}");
            throw new UsageException(e.Message);
        }
    }
}
