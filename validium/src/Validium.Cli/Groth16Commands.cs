using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Validium.Accel;
using Validium.Crypto;
using Validium.Proving.Formats;
using Validium.Proving.Groth16;
using Validium.Proving.Solidity;

namespace Validium.Cli;

/// <summary>`vld groth16 …`: keys, proofs and verifiers in snarkjs's file formats.</summary>
internal static class Groth16Commands
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var g = new Command("groth16", "Groth16 over BN254 with snarkjs-compatible files");
        g.Subcommands.Add(SetupCommand(stdout));
        g.Subcommands.Add(Prove(stdout, stderr));
        g.Subcommands.Add(Verify(stdout));
        g.Subcommands.Add(ExportVerifier(stdout));
        g.Subcommands.Add(Compress(stdout));
        g.Subcommands.Add(Decompress(stdout));
        return g;
    }

    private static Option<FileInfo> FileOption(string name, string description) => new(name) { Description = description, Required = true };

    private static FileInfo Existing(FileInfo f) => f.Exists ? f : throw new UsageException($"{f.FullName} does not exist");

    private static Command SetupCommand(TextWriter stdout)
    {
        var r1cs = FileOption("--r1cs", "circom .r1cs file");
        var ptau = new Option<FileInfo?>("--ptau") { Description = "Prepared powers-of-tau file (snarkjs powersoftau prepare phase2): phase 2 plus one secret δ contribution" };
        var seed = new Option<int?>("--dev-seed") { Description = "Instead of --ptau: derive the whole trapdoor from this seed (reproducible, so only for development)" };
        var zkey = FileOption("--zkey", "Proving key to write (.zkey)");
        var cmd = new Command("setup", "Write a .zkey for a circuit, from a powers-of-tau ceremony or a development seed") { r1cs, ptau, seed, zkey };
        cmd.SetAction(r =>
        {
            var ptauFile = r.GetValue(ptau);
            var devSeed = r.GetValue(seed);
            if ((ptauFile is null) == (devSeed is null)) throw new UsageException("give exactly one of --ptau and --dev-seed");
            var system = R1csFormat.Read(Existing(r.GetValue(r1cs)!).FullName).System;
            var sw = Stopwatch.StartNew();
            var pk = ptauFile is not null
                ? PtauSetup.Contribute(PtauSetup.Run(system, PtauFormat.Read(Existing(ptauFile).FullName)))
                : Setup.Run(system, devSeed);
            File.WriteAllBytes(r.GetValue(zkey)!.FullName, ZkeyFormat.Write(pk));
            stdout.WriteLine($"setup: {system.Constraints.Count} constraints, {system.NumWires} wires, {system.NumPublic} public, domain 2^{pk.DomainLog}, {sw.Elapsed.TotalSeconds:0.00} s");
            return 0;
        });
        return cmd;
    }

    private static Command Prove(TextWriter stdout, TextWriter stderr)
    {
        var zkey = FileOption("--zkey", "Proving key (.zkey, ours or snarkjs's)");
        var wtns = FileOption("--wtns", "Witness (.wtns)");
        var proofOut = FileOption("--proof", "proof.json to write");
        var publicOut = FileOption("--public", "public.json to write");
        var backend = new Option<string>("--backend") { Description = "auto, cpu, gpu or fpga", DefaultValueFactory = _ => "auto" };
        var timings = new Option<bool>("--timings") { Description = "Print when each phase started and ended (ms since the process started) and on which thread" };
        var cmd = new Command("prove", "Prove a witness; writes proof.json and public.json as snarkjs does") { zkey, wtns, proofOut, publicOut, backend, timings };
        cmd.SetAction(r =>
        {
            var times = r.GetValue(timings) ? new PhaseTimes { Origin = DateTime.Now - Process.GetCurrentProcess().StartTime } : null;
            times?.Record("process start to command", TimeSpan.Zero, times.Origin);
            var read = Stopwatch.StartNew();
            // Looking for a GPU (loading ILGPU, trying the driver libraries) takes some milliseconds of one core: it runs
            // while the key header and the witness are read.
            var probe = Task.Run(() =>
            {
                using (times?.Measure("device probe"))
                    return (Registry: AccelSetup.CreateRegistry(allowEmulation: false, stderr), Logger: AccelSetup.Logger<AccelDispatcher>(stderr));
            });
            PendingProvingKey pk;
            Fr[] w;
            try
            {
                pk = ZkeyFormat.Open(Existing(r.GetValue(zkey)!).FullName, times);
                using (times?.Measure("wtns read")) w = WtnsFormat.Read(Existing(r.GetValue(wtns)!).FullName).Values;
                if (w.Length != pk.NumVars) throw new UsageException($"the witness has {w.Length} values but the key expects {pk.NumVars}: they are not for the same circuit");
            }
            catch
            {
                probe.GetAwaiter().GetResult().Registry.Dispose();
                throw;
            }
            BackendRegistry registry;
            ILogger<AccelDispatcher> logger;
            using (times?.Measure("wait for device probe")) (registry, logger) = probe.GetAwaiter().GetResult();
            using var owned = registry;
            // The rest of the key is read beside the proof: each stage waits for the part it needs.
            stderr.WriteLine($"read the key header and the witness in {read.Elapsed.TotalSeconds:0.00} s");
            var accel = new AccelDispatcher(registry, new AccelOptions { Mode = AccelOptions.ParseMode(r.GetValue(backend)!) }, logger);
            var sw = Stopwatch.StartNew();
            Proof proof;
            using (times?.Measure("prove")) proof = new Prover(accel) { Times = times }.Prove(pk, w, new StageLine(stderr, sw));
            // The prover needs every part but the last section; a key that ends badly still fails before anything is written.
            pk.Contributions.GetAwaiter().GetResult();
            using (times?.Measure("write proof"))
            {
                File.WriteAllText(r.GetValue(proofOut)!.FullName, SnarkjsJson.WriteProof(proof));
                File.WriteAllText(r.GetValue(publicOut)!.FullName, SnarkjsJson.WritePublicSignals(w.AsSpan(1, pk.NumPublic).ToArray()));
            }
            if (times is not null)
            {
                stderr.Write(times.Format());
                stderr.WriteLine($"garbage collections: {GC.CollectionCount(0)} gen0, {GC.CollectionCount(1)} gen1, {GC.CollectionCount(2)} gen2; "
                    + $"{GC.GetTotalAllocatedBytes() >> 20} MiB allocated, {Environment.WorkingSet >> 20} MiB resident, {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:0.00} s of CPU");
            }
            stdout.WriteLine($"prove: {pk.NumVars} wires, domain 2^{pk.DomainLog}, {sw.Elapsed.TotalSeconds:0.00} s");
            return 0;
        });
        return cmd;
    }

    private static Command Verify(TextWriter stdout)
    {
        var vk = FileOption("--vk", "verification_key.json");
        var proof = FileOption("--proof", "proof.json");
        var pub = FileOption("--public", "public.json");
        var cmd = new Command("verify", "Verify a proof: exit 0 and OK only when it is valid") { vk, proof, pub };
        cmd.SetAction(r =>
        {
            var key = SnarkjsJson.ReadVerificationKey(File.ReadAllText(Existing(r.GetValue(vk)!).FullName), r.GetValue(vk)!.Name);
            var p = SnarkjsJson.ReadProof(File.ReadAllText(Existing(r.GetValue(proof)!).FullName), r.GetValue(proof)!.Name);
            var signals = SnarkjsJson.ReadPublicSignals(File.ReadAllText(Existing(r.GetValue(pub)!).FullName), r.GetValue(pub)!.Name);
            if (Verifier.Verify(key, p, signals, out var reason))
            {
                stdout.WriteLine("OK");
                return 0;
            }
            stdout.WriteLine($"INVALID: {reason}");
            return 1;
        });
        return cmd;
    }

    private static Command ExportVerifier(TextWriter stdout)
    {
        var vk = FileOption("--vk", "verification_key.json");
        var outFile = FileOption("--out", "Solidity file to write");
        var name = new Option<string>("--contract") { Description = "Contract name", DefaultValueFactory = _ => "Groth16Verifier" };
        var cmd = new Command("export-verifier", "Write a Solidity verifier for a verification key (EVM precompiles 0x06-0x08)") { vk, outFile, name };
        cmd.SetAction(r =>
        {
            var key = SnarkjsJson.ReadVerificationKey(File.ReadAllText(Existing(r.GetValue(vk)!).FullName), r.GetValue(vk)!.Name);
            File.WriteAllText(r.GetValue(outFile)!.FullName, VerifierEmitter.Emit(key, r.GetValue(name)!));
            stdout.WriteLine($"export-verifier: {r.GetValue(outFile)!.Name} for {key.NumPublic} public input(s)");
            return 0;
        });
        return cmd;
    }

    private static Command Compress(TextWriter stdout)
    {
        var proof = FileOption("--proof", "proof.json (snarkjs format)");
        var outFile = FileOption("--out", "128-byte compressed proof to write");
        var cmd = new Command("compress", "Write a proof in 128 bytes (SPEC.md \"Compressed proofs\"), the form submitBatchCompressed takes") { proof, outFile };
        cmd.SetAction(r =>
        {
            var p = SnarkjsJson.ReadProof(File.ReadAllText(Existing(r.GetValue(proof)!).FullName), r.GetValue(proof)!.Name);
            File.WriteAllBytes(r.GetValue(outFile)!.FullName, p.ToCompressed());
            stdout.WriteLine($"compress: {Proof.CompressedSize} bytes (uncompressed {Proof.UncompressedSize})");
            return 0;
        });
        return cmd;
    }

    private static Command Decompress(TextWriter stdout)
    {
        var input = FileOption("--in", "128-byte compressed proof");
        var proof = FileOption("--proof", "proof.json to write");
        var cmd = new Command("decompress", "Read a compressed proof (canonical encodings only, B checked in G2) and write proof.json") { input, proof };
        cmd.SetAction(r =>
        {
            var bytes = File.ReadAllBytes(Existing(r.GetValue(input)!).FullName);
            var p = Proof.FromCompressed(bytes);
            File.WriteAllText(r.GetValue(proof)!.FullName, SnarkjsJson.WriteProof(p));
            stdout.WriteLine($"decompress: {r.GetValue(proof)!.Name}");
            return 0;
        });
        return cmd;
    }

    /// <summary>
    /// The prover's stages as a progress bar on stderr: redrawn in place on a terminal, one line per stage
    /// when stderr is a file or pipe, so logs stay readable.
    /// </summary>
    private sealed class StageLine(TextWriter err, Stopwatch sw) : IProgress<ProveStage>
    {
        private static readonly int Stages = Enum.GetValues<ProveStage>().Length - 1;
        private readonly bool redraw = ReferenceEquals(err, Console.Error) && !Console.IsErrorRedirected;

        public void Report(ProveStage value)
        {
            int done = (int)value;
            var bar = new string('#', 2 * done) + new string('.', 2 * (Stages - done));
            var line = $"  [{bar}] {value,-5} {done}/{Stages}  {sw.Elapsed.TotalSeconds,6:0.00} s";
            if (!redraw) err.WriteLine(line);
            else err.Write(value == ProveStage.Done ? line + "\n" : "\r" + line);
        }
    }
}
