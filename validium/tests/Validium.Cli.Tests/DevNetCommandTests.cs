using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.DaCommittee.Client;
using Validium.DevNet;
using Validium.L1.Anvil;
using Validium.L1.Rpc;

namespace Validium.Cli.Tests;

/// <summary>`vld devnet up` as its own process: up, the manifest and the members reachable, Ctrl-C stops it cleanly, up again resumes.</summary>
public sealed class DevNetCommandTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("vld-devnet-");

    public void Dispose() => dir.Delete(true);

    /// <summary>A small circuit (development setup in seconds) for the two listed perpetuals.</summary>
    private string CircuitFile()
    {
        var config = new CircuitConfig
        {
            AccountDepth = 4, PositionsDepth = 1, FillDepth = 4, FeeAccount = 0, Shape = new BatchShape(2, 0, 0),
            Instruments = [.. DevNetOptions.DefaultInstruments.Select(i => InstrumentParams.FromSpec(i.Spec))],
        };
        var path = Path.Combine(dir.FullName, "circuit.json");
        File.WriteAllText(path, StateSnapshot.ConfigJson(config).ToJsonString());
        return path;
    }

    [SkippableFact]
    public async Task Up_runs_until_terminated_and_up_again_brings_back_the_same_network()
    {
        Skip.If(AnvilNode.FindBinary() is null, AnvilNode.NotFoundMessage);
        var net = Path.Combine(dir.FullName, "net");
        var circuit = CircuitFile();
        string validium;
        long height;
        using (var run = await VldRun.StartAsync("devnet", "up", "--dir", net, "--circuit", circuit, "--oracle-interval", "0"))
        {
            var manifest = DevNetManifest.Read(Path.Combine(net, DevNetManifest.FileName));
            Assert.Contains(manifest.Contracts.Validium, run.Output);
            validium = manifest.Contracts.Validium;
            using var http = new HttpClient();
            foreach (var m in manifest.Committee.Members)
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(new Uri(m.Url), "/health"))).StatusCode);
            using var rpc = new JsonRpcClient(manifest.RpcUrl);
            height = await new EthClient(rpc).BlockNumberAsync();
            Assert.True(height > 0);
            Assert.Equal(0, await run.TerminateAsync());
            Assert.Contains("devnet stopped", run.Output);
        }

        using (var again = await VldRun.StartAsync("devnet", "up", "--dir", net, "--oracle-interval", "0"))
        {
            var manifest = DevNetManifest.Read(Path.Combine(net, DevNetManifest.FileName));
            Assert.Equal(validium, manifest.Contracts.Validium);
            using var rpc = new JsonRpcClient(manifest.RpcUrl);
            Assert.True(await new EthClient(rpc).BlockNumberAsync() >= height);
            Assert.Equal(0, await again.TerminateAsync());
        }
    }

    [SkippableFact]
    public async Task A_member_process_killed_mid_batch_leaves_two_of_three_and_comes_back_with_what_it_stored()
    {
        Skip.If(AnvilNode.FindBinary() is null, AnvilNode.NotFoundMessage);
        var options = new DevNetOptions
        {
            Directory = Path.Combine(dir.FullName, "net"), OracleIntervalSeconds = null, Circuit = StateSnapshot.ReadConfig(JsonNode.Parse(File.ReadAllText(CircuitFile()))),
            MemberCommand = ["dotnet", Path.Combine(AppContext.BaseDirectory, "vld.dll")],
        };
        await using var net = await DevNetwork.UpAsync(options);
        using var rpc = new JsonRpcClient(net.Rpc);
        var eth = new EthClient(rpc);
        var m = net.Manifest;
        using var client = new DacClient(new DacDomain(m.ChainId, net.Validium), m.OpenKey(m.Operator), new L1Committee(eth, net.Validium, TimeSpan.Zero),
            new DacClientOptions { Members = net.MemberUrls, Timeout = TimeSpan.FromSeconds(20), InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200) });
        static byte[] Data(int seed) => PoseidonSponge.ToBytes([.. Enumerable.Range(0, 64).Select(i => Fr.FromBigInteger(seed * 1000 + i))]);
        await client.AttestAsync(1, Data(1));

        using var http = new HttpClient();
        int victim = -1;
        for (int i = 0; i < 3 && victim < 0; i++)
        {
            using var response = await http.GetAsync(new Uri(net.MemberUrls[i], DacRoutes.BatchPath(1)));
            if (response.IsSuccessStatusCode) victim = i;
        }
        Assert.True(victim >= 0, "no member stored batch 1");
        var pid = net.MemberProcessId(victim)!.Value;

        // Killed while batch 2 is being collected: the other two members still make the threshold.
        var attesting = client.AttestAsync(2, Data(2));
        await net.StopMemberAsync(victim, kill: true);
        Assert.Throws<ArgumentException>(() => Process.GetProcessById(pid));
        var bundle = await attesting;
        Assert.Equal(2, bundle.Signatures.Count);
        var validium = new Validium.L1.Contracts.Contract(eth, ValidiumAbi.Committee, net.Validium);
        await validium.CallAsync("checkAttestation", [2UL, bundle.Commitment.ToBigInteger(), bundle.ToContractArgument()]);

        // Restarted as a new process on the same data: batch 1, acknowledged before the kill, is still there.
        await net.StartMemberAsync(victim);
        Assert.NotEqual(pid, net.MemberProcessId(victim));
        Assert.Equal(Data(1), await http.GetByteArrayAsync(new Uri(net.MemberUrls[victim], DacRoutes.BatchPath(1))));
        await net.StopMemberAsync((victim + 1) % 3);
        Assert.Equal(2, (await client.AttestAsync(3, Data(3))).Signatures.Count);
    }

    [Fact]
    public async Task Bad_options_are_one_line_and_exit_code_2()
    {
        var (code, _, stderr) = await Cli.Run("devnet", "up", "--dir", Path.Combine(dir.FullName, "x"), "--members", "3", "--threshold", "5");
        Assert.Equal((2, true), (code, stderr.Contains("threshold must be 1..3")));
        var bad = Path.Combine(dir.FullName, "bad.json");
        await File.WriteAllTextAsync(bad, new JsonObject { ["accountDepth"] = 4 }.ToJsonString());
        (code, _, stderr) = await Cli.Run("devnet", "up", "--dir", Path.Combine(dir.FullName, "y"), "--circuit", bad);
        Assert.Equal(2, code);
        Assert.Contains("--circuit", stderr);
    }

    /// <summary>vld as a child process, started and waited for until it prints that it runs.</summary>
    private sealed class VldRun : IDisposable
    {
        private readonly Process process;
        private readonly StringBuilder output = new();

        private VldRun(Process process) => this.process = process;

        public string Output
        {
            get
            {
                lock (output) return output.ToString();
            }
        }

        public static async Task<VldRun> StartAsync(params string[] args)
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vld.dll"));
            foreach (var a in args) psi.ArgumentList.Add(a);
            var run = new VldRun(Process.Start(psi)!);
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void OnLine(string? line)
            {
                if (line is null) return;
                lock (run.output) run.output.AppendLine(line);
                if (line.StartsWith("running;", StringComparison.Ordinal)) ready.TrySetResult();
            }
            run.process.OutputDataReceived += (_, e) => OnLine(e.Data);
            run.process.ErrorDataReceived += (_, e) => OnLine(e.Data);
            run.process.BeginOutputReadLine();
            run.process.BeginErrorReadLine();
            var done = await Task.WhenAny(ready.Task, run.process.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(3)));
            if (done != ready.Task)
            {
                run.Dispose();
                throw new InvalidOperationException($"vld devnet up did not start:\n{run.Output}");
            }
            return run;
        }

        /// <summary>
        /// SIGTERM, as a service manager stops it (Ctrl-C's SIGINT takes the same path, but a test host started from
        /// a non-interactive shell may hand its children SIGINT ignored); the exit code once vld has stopped.
        /// </summary>
        public async Task<int> TerminateAsync()
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode;
        }

        public void Dispose()
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.Dispose();
        }
    }
}
