using System.Diagnostics;
using System.Numerics;
using System.Text.Json;
using Validium.Crypto;
using Validium.DaCommittee;
using Validium.L1;
using Validium.L1.Keys;

namespace Validium.Cli.Tests;

/// <summary>`vld dac keygen | init | member | submit`: a local committee made by init, run as separate vld processes.</summary>
public sealed class DacCommandTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("vld-dac-");

    public void Dispose() => dir.Delete(true);

    private string PasswordFile()
    {
        var path = Path.Combine(dir.FullName, "password.txt");
        File.WriteAllText(path, "local committee password\n");
        return path;
    }

    [Fact]
    public async Task Keygen_writes_a_keystore_for_the_printed_address_and_never_takes_the_password_as_an_argument()
    {
        var pw = PasswordFile();
        var file = Path.Combine(dir.FullName, "member.json");
        var (code, stdout, stderr) = await Cli.Run("dac", "keygen", "--out", file, "--password-file", pw, "--scrypt-n", "1024");
        Assert.True(code == 0, stderr);
        var address = EthereumAddress.Parse(stdout.Trim());
        Assert.Equal(address, Keystore.DecryptFile(file, "local committee password").Address);

        (code, _, stderr) = await Cli.Run("dac", "keygen", "--out", file, "--password-file", pw, "--scrypt-n", "1024");
        Assert.Equal(2, code);
        Assert.Contains("never overwritten", stderr);

        // Neither a password file nor the environment variable: refused, nothing written.
        var other = Path.Combine(dir.FullName, "other.json");
        Assert.Null(Environment.GetEnvironmentVariable(MemberOptions.PasswordEnvironmentVariable));
        (code, _, stderr) = await Cli.Run("dac", "keygen", "--out", other);
        Assert.Equal(2, code);
        Assert.Contains(MemberOptions.PasswordEnvironmentVariable, stderr);
        Assert.False(File.Exists(other));
        (code, _, _) = await Cli.Run("dac", "keygen", "--out", other, "--password", "secret");
        Assert.NotEqual(0, code);
    }

    [Fact]
    public async Task Init_makes_a_committee_whose_members_run_as_vld_processes_and_submit_prints_the_ordered_bundle()
    {
        var pw = PasswordFile();
        var root = Path.Combine(dir.FullName, "committee");
        var (code, stdout, stderr) = await Cli.Run("dac", "init", "--members", "3", "--threshold", "2", "--dir", root, "--password-file", pw, "--scrypt-n", "1024");
        Assert.True(code == 0, stderr);
        var lines = Cli.Lines(stdout);
        var members = lines.Where(l => l.StartsWith("member ", StringComparison.Ordinal)).Select(l => l.Split("  ")).ToArray();
        Assert.Equal(3, members.Length);
        var addresses = members.Select(m => EthereumAddress.Parse(m[1])).ToArray();
        var urls = members.Select(m => m[2]).ToArray();
        var configs = members.Select(m => m[3]).ToArray();
        Assert.Equal(3, urls.Distinct().Count());
        Assert.All(urls, u => Assert.StartsWith("http://127.0.0.1:", u));
        Assert.Contains(lines, l => l == "threshold  2 of 3");
        for (int i = 0; i < 3; i++)
        {
            var options = MemberOptions.Load(configs[i]);
            Assert.Equal(2, options.Validate().StaticCommittee!.Threshold);
            Assert.Equal(addresses[i], Keystore.DecryptFile(options.Keystore, options.ReadPassword()).Address);
        }

        var data = PoseidonSponge.ToBytes(Enumerable.Range(1, 40).Select(i => Fr.FromUInt64((ulong)i * 1_000_003)).ToArray());
        var dataFile = Path.Combine(dir.FullName, "batch.bin");
        await File.WriteAllBytesAsync(dataFile, data);

        // Two of three members up, each a separate `vld dac member` process.
        var processes = new List<Process>();
        try
        {
            for (int i = 0; i < 2; i++) processes.Add(await StartMember(configs[i], addresses[i]));
            (code, stdout, stderr) = await Cli.Run("dac", "submit", "--members", string.Join(',', urls), "--key-file", Path.Combine(root, "sequencer.keystore.json"),
                "--password-file", pw, "--batch", "3", "--data", dataFile, "--timeout", "10");
            Assert.True(code == 0, stderr);
            var bundle = JsonDocument.Parse(stdout).RootElement;
            Assert.Equal(3, bundle.GetProperty("batchNumber").GetInt32());
            Assert.Equal(Hex.Encode(PoseidonSponge.Commit(PoseidonSponge.FromBytes(data)).ToBigEndianBytes()), bundle.GetProperty("commitment").GetString());
            var digest = Hex.Decode(bundle.GetProperty("digest").GetString()!);
            Assert.Equal(32, digest.Length);
            var signers = new List<EthereumAddress>();
            foreach (var s in bundle.GetProperty("signatures").EnumerateArray())
            {
                var sig = Hex.Decode(s.GetProperty("signature").GetString()!);
                Assert.Equal(65, sig.Length);
                var signer = EthereumAddress.Parse(s.GetProperty("signer").GetString()!);
                Assert.Equal(signer, EthereumEcdsa.Recover(Eip191.HashPersonalMessage(digest), EcdsaSignature.FromBytes(sig)));
                signers.Add(signer);
            }
            Assert.Equal(addresses.Take(2).OrderBy(Value), signers);

            // Only one member left: below threshold, exit 1 with the reason.
            processes[0].Kill(entireProcessTree: true);
            (code, _, stderr) = await Cli.Run("dac", "submit", "--members", string.Join(',', urls), "--key-file", Path.Combine(root, "sequencer.keystore.json"),
                "--password-file", pw, "--batch", "4", "--data", dataFile, "--timeout", "1");
            Assert.Equal(1, code);
            Assert.Contains("1 valid signature(s) of the 2 needed", stderr);
        }
        finally
        {
            foreach (var p in processes)
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
                p.Dispose();
            }
        }
    }

    [Fact]
    public async Task Bad_input_to_init_and_submit_is_one_line_and_exit_code_2()
    {
        var pw = PasswordFile();
        var (code, _, stderr) = await Cli.Run("dac", "init", "--members", "2", "--threshold", "3", "--dir", Path.Combine(dir.FullName, "c"), "--password-file", pw);
        Assert.Equal((2, true), (code, stderr.Contains("--threshold must be in 1..2")));
        var notWords = Path.Combine(dir.FullName, "bad.bin");
        await File.WriteAllBytesAsync(notWords, new byte[31]);
        (code, _, stderr) = await Cli.Run("dac", "submit", "--members", "http://127.0.0.1:1", "--key-file", pw, "--password-file", pw, "--batch", "1", "--data", notWords);
        Assert.Equal((2, true), (code, stderr.Contains("not a whole number of 32-byte words")));
        (code, _, stderr) = await Cli.Run("dac", "submit", "--members", "ftp://x", "--key-file", pw, "--batch", "1", "--data", notWords);
        Assert.Equal((2, true), (code, stderr.Contains("is not an http(s) URL")));
    }

    private static BigInteger Value(EthereumAddress a) => new(a.ToBytes(), isUnsigned: true, isBigEndian: true);

    private static async Task<Process> StartMember(string config, EthereumAddress address)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "vld.dll"), "dac", "member", "--config", config }) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (e.Data.StartsWith("member ", StringComparison.Ordinal) && e.Data.Contains("listening on", StringComparison.Ordinal)) listening.TrySetResult(e.Data);
        };
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (output) output.AppendLine(e.Data);
        };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var done = await Task.WhenAny(listening.Task, p.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (done != listening.Task)
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
            lock (output) throw new InvalidOperationException($"vld dac member did not start:\n{output}");
        }
        Assert.Contains(address.ToString(), listening.Task.Result);
        return p;
    }
}
