using System.CommandLine;
using System.Diagnostics;
using Validium.Accel;
using Validium.Batcher;
using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Proving.Formats;
using Validium.Proving.Groth16;
using Validium.State;

namespace Validium.Cli;

/// <summary>`vld batch …`: the batch validity circuit.</summary>
internal static class BatchCommands
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var batch = new Command("batch", "The batch validity circuit: build, prove and verify batches");
        batch.Subcommands.Add(Demo(stdout, stderr));
        batch.Subcommands.Add(Prove(stdout, stderr));
        return batch;
    }

    private static Command Prove(TextWriter stdout, TextWriter stderr)
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "The batcher's data directory", Required = true };
        var number = new Option<ulong>("--batch") { Description = "The batch number", Required = true };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Directory for proof.json, public.json and verification_key.json (default: the current directory)" };
        var backend = new Option<string>("--backend") { Description = "auto, cpu, gpu or fpga for the prover's MSMs and NTTs", DefaultValueFactory = _ => "auto" };
        var cmd = new Command("prove", "Prove a persisted batch again from its recorded inputs alone; the files in --out pass `snarkjs groth16 verify`")
        {
            data, number, outDir, backend,
        };
        cmd.SetAction(r =>
        {
            var dir = r.GetValue(data)!;
            if (!dir.Exists) throw new UsageException($"--data {dir.FullName}: no such directory");
            ulong n = r.GetValue(number);
            if (n == 0) throw new UsageException("--batch: batches are numbered from 1");
            var store = BatchStore.Open(dir.FullName);
            var record = store.Read(n);
            var pk = store.LoadProvingKey();
            using var registry = AccelSetup.CreateRegistry(allowEmulation: false, stderr);
            var accel = new AccelDispatcher(registry, new AccelOptions { Mode = AccelOptions.ParseMode(r.GetValue(backend)!) }, AccelSetup.Logger<AccelDispatcher>(stderr));
            var sw = Stopwatch.StartNew();
            Proving.Groth16.Proof proof;
            try
            {
                proof = new BatchProver(new BatchCircuit(store.Config), pk, store.VerifyingKey, accel).Prove(record);
            }
            catch (BatchProofException e)
            {
                throw new InvalidDataException(e.Message, e);
            }
            var target = r.GetValue(outDir) ?? new DirectoryInfo(Directory.GetCurrentDirectory());
            target.Create();
            File.WriteAllText(Path.Combine(target.FullName, "proof.json"), SnarkjsJson.WriteProof(proof));
            File.WriteAllText(Path.Combine(target.FullName, "public.json"), SnarkjsJson.WritePublicSignals(record.PublicInputs));
            File.WriteAllText(Path.Combine(target.FullName, "verification_key.json"), SnarkjsJson.WriteVerificationKey(store.VerifyingKey));
            stdout.WriteLine($"batch {n} ({record.Status.ToString().ToLowerInvariant()}, cut by {record.Reason.ToString().ToLowerInvariant()}): " +
                $"{record.Deposits.Length} deposits, {record.Trades.Length} trades, {record.Withdrawals.Length} withdrawals; proven and verified in {sw.Elapsed.TotalSeconds:0.00} s");
            for (int i = 0; i < BatchCircuit.PublicInputNames.Length; i++) stdout.WriteLine($"{BatchCircuit.PublicInputNames[i]} = {record.PublicInputs[i]}");
            stdout.WriteLine($"wrote proof.json, public.json, verification_key.json to {target.FullName}");
            return 0;
        });
        return cmd;
    }

    private static Command Demo(TextWriter stdout, TextWriter stderr)
    {
        var trades = new Option<int>("--trades") { Description = "Trades settled in the batch", DefaultValueFactory = _ => 1 };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Directory for proof.json, public.json, verification_key.json, data.bin and circuit.json (the circuit configuration `vld recover` needs)", Required = true };
        var accountDepth = new Option<int>("--account-depth") { Description = "Account tree depth", DefaultValueFactory = _ => 8 };
        var fillDepth = new Option<int>("--fill-depth") { Description = "Order-fill tree depth", DefaultValueFactory = _ => 16 };
        var seed = new Option<int>("--dev-seed") { Description = "Seed of the development setup (reproducible trapdoor: never for production)", DefaultValueFactory = _ => 1 };
        var backend = new Option<string>("--backend") { Description = "auto, cpu, gpu or fpga for the prover's MSMs and NTTs", DefaultValueFactory = _ => "auto" };
        var cmd = new Command("demo", "Build a small exchange, settle N trades in one batch, prove it; the files in --out pass `snarkjs groth16 verify`")
        {
            trades, outDir, accountDepth, fillDepth, seed, backend,
        };
        cmd.SetAction(r =>
        {
            int n = r.GetValue(trades), ad = r.GetValue(accountDepth), fd = r.GetValue(fillDepth);
            if (n is < 1 or > BatchShape.MaxSlots) throw new UsageException($"--trades must be 1..{BatchShape.MaxSlots}, got {n}");
            if (ad is < 4 or > 64) throw new UsageException($"--account-depth must be 4..64 (the demo has 9 accounts and a reserved leaf), got {ad}");
            if (fd is < 8 or > 64) throw new UsageException($"--fill-depth must be 8..64, got {fd}");
            var dir = r.GetValue(outDir)!;
            dir.Create();
            using var registry = AccelSetup.CreateRegistry(allowEmulation: false, stderr);
            var accel = new AccelDispatcher(registry, new AccelOptions { Mode = AccelOptions.ParseMode(r.GetValue(backend)!) }, AccelSetup.Logger<AccelDispatcher>(stderr));
            var statePath = Path.Combine(Path.GetTempPath(), "vld-batch-demo-" + Guid.NewGuid().ToString("N"));
            var total = Stopwatch.StartNew();
            var sw = Stopwatch.StartNew();
            try
            {
                var exchange = new DemoExchange(n, ad, fd);
                using var store = StateStore.Open(statePath, accel, new StateStoreOptions { SyncWrites = false });
                using var pending = exchange.Build(store);
                var built = sw.Elapsed;

                var circuit = new BatchCircuit(exchange.Config);
                var (pk, compileTime, setupTime) = CompileAndSetUp(circuit, r.GetValue(seed), stdout, $"{exchange.Config.Shape}; accounts depth {ad}, fill depth {fd}");
                var peakSetup = PeakGb();

                sw.Restart();
                var solution = circuit.Solve(pending.Assignment).ThrowIfUnsatisfied();
                var solveTime = sw.Elapsed;
                var peakSolve = PeakGb();

                sw.Restart();
                var proof = new Prover(accel).Prove(pk, solution.Witness);
                var proveTime = sw.Elapsed;
                stdout.WriteLine($"peak working set: {peakSetup:0.00} GB through setup, {peakSolve:0.00} GB through witness, {PeakGb():0.00} GB through proof");

                if (!Verifier.Verify(pk.VerifyingKey, proof, solution.PublicSignals, out var reason))
                    throw new InvalidOperationException($"the proof does not verify: {reason}");
                File.WriteAllText(Path.Combine(dir.FullName, "proof.json"), SnarkjsJson.WriteProof(proof));
                File.WriteAllText(Path.Combine(dir.FullName, "public.json"), SnarkjsJson.WritePublicSignals(solution.PublicSignals.ToArray()));
                File.WriteAllText(Path.Combine(dir.FullName, "verification_key.json"), SnarkjsJson.WriteVerificationKey(pk.VerifyingKey));
                File.WriteAllBytes(Path.Combine(dir.FullName, "data.bin"), pending.DataBytes());
                File.WriteAllText(Path.Combine(dir.FullName, "circuit.json"), StateSnapshot.ConfigJson(exchange.Config).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                stdout.WriteLine($"build {built.TotalSeconds:0.00} s, compile {compileTime.TotalSeconds:0.00} s, setup {setupTime.TotalSeconds:0.00} s, " +
                    $"witness {solveTime.TotalSeconds:0.00} s, prove {proveTime.TotalSeconds:0.00} s, total {total.Elapsed.TotalSeconds:0.00} s");
                for (int i = 0; i < BatchCircuit.PublicInputNames.Length; i++) stdout.WriteLine($"{BatchCircuit.PublicInputNames[i]} = {pending.PublicInputs[i]}");
                stdout.WriteLine($"wrote proof.json, public.json, verification_key.json, data.bin, circuit.json to {dir.FullName}");
                return 0;
            }
            finally
            {
                try
                {
                    Directory.Delete(statePath, recursive: true);
                }
                catch (IOException)
                {
                    // The state was scratch; a leftover temp directory is not worth failing the demo over.
                }
            }
        });
        return cmd;
    }

    /// <summary>
    /// Compiles and sets up in a frame of their own: only the key leaves it, so the constraint system is garbage before
    /// the witness and the proof need their memory.
    /// </summary>
    private static (ProvingKey Key, TimeSpan Compile, TimeSpan Setup) CompileAndSetUp(BatchCircuit circuit, int seed, TextWriter stdout, string what)
    {
        var sw = Stopwatch.StartNew();
        var r1cs = circuit.Compile().R1cs;
        var compileTime = sw.Elapsed;
        stdout.WriteLine($"batch demo: {what}; {r1cs.ConstraintCount:N0} constraints, {r1cs.NumWires:N0} wires; peak working set {PeakGb():0.00} GB");
        sw.Restart();
        var pk = Setup.Run(r1cs, seed);
        return (pk, compileTime, sw.Elapsed);
    }

    private static double PeakGb()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64 / 1e9;
    }
}
