using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Validium.Crypto;
using Validium.DaCommittee;
using Validium.DaCommittee.Client;
using Validium.L1.Keys;
using Validium.L1.Rpc;

namespace Validium.Cli;

/// <summary>
/// `vld dac …`: the data-availability committee: keys, a local committee, running a member, submitting as the sequencer.
/// Keystore passwords come from --password-file or $VLD_KEYSTORE_PASSWORD, never from the command line.
/// </summary>
internal static class DacCommands
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var dac = new Command("dac", "The data-availability committee");
        dac.Subcommands.Add(Keygen(stdout));
        dac.Subcommands.Add(Init(stdout));
        dac.Subcommands.Add(Member(stdout));
        dac.Subcommands.Add(Submit(stdout, stderr));
        return dac;
    }

    private static Option<int> ScryptNOption() =>
        new("--scrypt-n") { Description = "scrypt cost of new keystores, a power of two (lower it only for throwaway keys)", DefaultValueFactory = _ => 1 << 17 };

    private static ScryptParameters Scrypt(int n)
    {
        if (n < 1024 || (n & (n - 1)) != 0 || n > 1 << 20) throw new UsageException($"--scrypt-n must be a power of two in 1024..{1 << 20}, got {n}");
        return new ScryptParameters(n);
    }

    private static Command Keygen(TextWriter stdout)
    {
        var output = new Option<FileInfo>("--out") { Description = "Keystore file to write (never overwritten)", Required = true };
        var passwordFile = KeyFile.PasswordFileOption();
        var scryptN = ScryptNOption();
        var cmd = new Command("keygen", "Write a new secp256k1 key as an Ethereum V3 keystore (a member's or the sequencer's) and print its address")
        { output, passwordFile, scryptN };
        cmd.SetAction(r =>
        {
            var file = r.GetValue(output)!;
            if (file.Exists) throw new UsageException($"{file.FullName} already exists: a key file is never overwritten");
            var key = Secp256k1PrivateKey.Generate();
            Keystore.WriteNewFile(file.FullName, key, KeyFile.Password(r.GetValue(passwordFile)), Scrypt(r.GetValue(scryptN)));
            stdout.WriteLine(key.Address.ToString());
            return 0;
        });
        return cmd;
    }

    private static Command Init(TextWriter stdout)
    {
        var members = new Option<int>("--members") { Description = "Committee size n", Required = true };
        var threshold = new Option<int>("--threshold") { Description = "Signatures needed k (1..n)", Required = true };
        var dir = new Option<DirectoryInfo>("--dir") { Description = "Directory to create (must be empty or absent)", Required = true };
        var chainId = new Option<string>("--chain-id") { Description = "Chain id the attestations are for", DefaultValueFactory = _ => "31337" };
        var contract = new Option<string>("--contract") { Description = "Validium contract address the attestations are for", DefaultValueFactory = _ => "0x0000000000000000000000000000000000000000" };
        var passwordFile = KeyFile.PasswordFileOption();
        var scryptN = ScryptNOption();
        var cmd = new Command("init",
            "Create a local committee: n member keystores and configs on free loopback ports (fixed membership, threshold k) and a sequencer key; " +
            "start each member with `vld dac member --config DIR/member-I/config.json`")
        { members, threshold, dir, chainId, contract, passwordFile, scryptN };
        cmd.SetAction(r =>
        {
            int n = r.GetValue(members), k = r.GetValue(threshold);
            if (n is < 1 or > 64) throw new UsageException($"--members must be in 1..64, got {n}");
            if (k < 1 || k > n) throw new UsageException($"--threshold must be in 1..{n}, got {k}");
            var root = r.GetValue(dir)!;
            if (root.Exists && root.EnumerateFileSystemInfos().Any()) throw new UsageException($"{root.FullName} is not empty");
            if (!BigInteger.TryParse(r.GetValue(chainId), NumberStyles.None, CultureInfo.InvariantCulture, out var chain) || chain.IsZero)
                throw new UsageException($"--chain-id must be a positive integer, got '{r.GetValue(chainId)}'");
            if (!EthereumAddress.TryParse(r.GetValue(contract), out var validium)) throw new UsageException($"--contract must be a 0x address, got '{r.GetValue(contract)}'");
            var pwFile = r.GetValue(passwordFile);
            var password = KeyFile.Password(pwFile);
            var scrypt = Scrypt(r.GetValue(scryptN));
            root.Create();

            var sequencer = Secp256k1PrivateKey.Generate();
            var sequencerFile = Path.Combine(root.FullName, "sequencer.keystore.json");
            Keystore.WriteNewFile(sequencerFile, sequencer, password, scrypt);
            var keys = Enumerable.Range(0, n).Select(_ => Secp256k1PrivateKey.Generate()).ToArray();
            var ports = FreeLoopbackPorts(n);
            for (int i = 0; i < n; i++)
            {
                var memberDir = Path.Combine(root.FullName, $"member-{i}");
                Directory.CreateDirectory(memberDir);
                Keystore.WriteNewFile(Path.Combine(memberDir, "keystore.json"), keys[i], password, scrypt);
                var config = new JsonObject
                {
                    ["Listen"] = $"http://127.0.0.1:{ports[i]}",
                    ["Keystore"] = "keystore.json",
                    ["DataDir"] = "data",
                    ["ChainId"] = chain.ToString(CultureInfo.InvariantCulture),
                    ["Contract"] = validium.ToString(),
                    ["Sequencer"] = sequencer.Address.ToString(),
                    ["Committee"] = new JsonObject
                    {
                        ["Members"] = new JsonArray(keys.Select(key => (JsonNode)key.Address.ToString()).ToArray()),
                        ["Threshold"] = k,
                    },
                };
                if (pwFile is not null) config["PasswordFile"] = pwFile.FullName;
                var configPath = Path.Combine(memberDir, "config.json");
                File.WriteAllText(configPath, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                stdout.WriteLine($"member {i}  {keys[i].Address}  http://127.0.0.1:{ports[i]}  {configPath}");
            }
            stdout.WriteLine($"sequencer  {sequencer.Address}  {sequencerFile}");
            stdout.WriteLine($"threshold  {k} of {n}");
            return 0;
        });
        return cmd;
    }

    /// <summary>n distinct ports the OS says are free now, all held open until every one is chosen.</summary>
    private static int[] FreeLoopbackPorts(int n)
    {
        var listeners = Enumerable.Range(0, n).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var l in listeners) l.Start();
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var l in listeners) l.Stop();
        }
    }

    private static Command Member(TextWriter stdout)
    {
        var config = new Option<FileInfo>("--config") { Description = "Member config (JSON; VLD_DAC_* environment variables override it)", Required = true };
        var cmd = new Command("member", "Run a committee member until interrupted") { config };
        cmd.SetAction(async (r, ct) =>
        {
            var file = r.GetValue(config)!;
            MemberNode node;
            try
            {
                node = await MemberNode.StartFromConfigAsync(file.FullName, l => l.AddSimpleConsole(c => c.SingleLine = true).SetMinimumLevel(LogLevel.Information), ct);
            }
            catch (Exception e) when (e is JsonRpcException or RpcTransportException)
            {
                throw new UsageException($"cannot reach the L1 node: {e.Message}");
            }
            await using (node)
            {
                await stdout.WriteLineAsync($"member {node.Address} listening on {node.Url}");
                await stdout.FlushAsync(CancellationToken.None);
                try
                {
                    await node.WaitForShutdownAsync(ct);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C / SIGTERM: stop cleanly.
                }
            }
            return 0;
        });
        return cmd;
    }

    private static Command Submit(TextWriter stdout, TextWriter stderr)
    {
        var members = new Option<string>("--members") { Description = "Member URLs, comma-separated", Required = true };
        var keyFile = new Option<FileInfo>("--key-file") { Description = "The sequencer's keystore", Required = true };
        var passwordFile = KeyFile.PasswordFileOption();
        var batch = new Option<ulong>("--batch") { Description = "Batch number", Required = true };
        var data = new Option<FileInfo>("--data") { Description = "Batch data: 32-byte big-endian field words", Required = true };
        var rpc = new Option<string?>("--rpc") { Description = "L1 JSON-RPC: take chain id and committee from the contract (else from the members' /v1/info)" };
        var contract = new Option<string?>("--contract") { Description = "Validium contract address (with --rpc)" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to collect the threshold of signatures", DefaultValueFactory = _ => 30 };
        var cmd = new Command("submit", "Submit a batch as the sequencer and print the attestation bundle (JSON, signatures ordered by signer address)")
        { members, keyFile, passwordFile, batch, data, rpc, contract, timeout };
        cmd.SetAction(async (r, ct) =>
        {
            var urls = ParseUrls(r.GetValue(members)!);
            var dataFile = r.GetValue(data)!;
            if (!dataFile.Exists) throw new UsageException($"data file {dataFile.FullName} does not exist");
            var bytes = await File.ReadAllBytesAsync(dataFile.FullName, ct);
            try
            {
                PoseidonSponge.FromBytes(bytes);
            }
            catch (FormatException e)
            {
                throw new UsageException($"{dataFile.FullName}: {e.Message}");
            }
            if (bytes.Length == 0) throw new UsageException($"{dataFile.FullName} is empty");
            double seconds = r.GetValue(timeout);
            if (seconds is <= 0 or > 3600) throw new UsageException("--timeout must be in (0, 3600] seconds");
            var key = KeyFile.Read(r.GetValue(keyFile)!, r.GetValue(passwordFile));

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            JsonRpcClient? rpcClient = null;
            try
            {
                DacDomain domain;
                ICommitteeSource committee;
                if (r.GetValue(rpc) is { } rpcUrl)
                {
                    if (!Uri.TryCreate(rpcUrl, UriKind.Absolute, out var rpcUri) || rpcUri.Scheme is not ("http" or "https")) throw new UsageException($"--rpc must be an http(s) URL, got '{rpcUrl}'");
                    if (!EthereumAddress.TryParse(r.GetValue(contract), out var validium)) throw new UsageException("--rpc needs --contract 0x… (the Validium contract)");
                    rpcClient = new JsonRpcClient(rpcUri, new JsonRpcClientOptions { MaxAttempts = 3, AttemptTimeout = TimeSpan.FromSeconds(5) });
                    var eth = new EthClient(rpcClient);
                    domain = new DacDomain(await eth.ChainIdAsync(ct), validium);
                    committee = new L1Committee(eth, validium, TimeSpan.FromSeconds(10));
                }
                else (domain, committee) = await CommitteeFromMembersAsync(http, urls, ct);

                using var client = new DacClient(domain, key, committee, new DacClientOptions { Members = urls, Timeout = TimeSpan.FromSeconds(seconds) });
                try
                {
                    var bundle = await client.AttestAsync(r.GetValue(batch), bytes, ct);
                    await stdout.WriteLineAsync(bundle.ToJson());
                    return 0;
                }
                catch (AttestationUnavailableException e)
                {
                    await stderr.WriteLineAsync($"vld: {e.Message}");
                    return 1;
                }
            }
            catch (Exception e) when (e is JsonRpcException or RpcTransportException)
            {
                throw new UsageException($"cannot read the committee from L1: {e.Message}");
            }
            finally
            {
                rpcClient?.Dispose();
            }
        });
        return cmd;
    }

    private static Uri[] ParseUrls(string list)
    {
        var urls = new List<Uri>();
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https")) throw new UsageException($"--members: '{part}' is not an http(s) URL");
            urls.Add(u);
        }
        if (urls.Count == 0) throw new UsageException("--members lists no URL");
        if (urls.Distinct().Count() != urls.Count) throw new UsageException("--members lists a URL twice");
        return urls.ToArray();
    }

    /// <summary>
    /// Without L1, the deployment and committee come from the members' /v1/info; every member that answers must agree,
    /// and each signature is still checked against that committee.
    /// </summary>
    private static async Task<(DacDomain, ICommitteeSource)> CommitteeFromMembersAsync(HttpClient http, Uri[] urls, CancellationToken ct)
    {
        var infos = new List<(Uri Url, MemberInfo Info)>();
        foreach (var url in urls)
        {
            try
            {
                var info = JsonSerializer.Deserialize<MemberInfo>(await http.GetStringAsync(new Uri(url, DacRoutes.Info), ct));
                if (info is not null) infos.Add((url, info));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                // An unreachable member is the client's business (it retries); it just cannot describe the committee.
            }
        }
        if (infos.Count == 0) throw new UsageException("no member answered /v1/info: cannot learn the committee (or pass --rpc and --contract)");
        var first = infos[0].Info;
        string Shape(MemberInfo i) => $"{i.ChainId}/{i.Contract}/{i.Threshold}/{string.Join(',', i.Committee)}";
        foreach (var (url, info) in infos.Skip(1))
            if (Shape(info) != Shape(first)) throw new UsageException($"members disagree about the deployment or committee: {infos[0].Url} and {url}");
        var domain = new DacDomain(BigInteger.Parse(first.ChainId, CultureInfo.InvariantCulture), EthereumAddress.Parse(first.Contract));
        return (domain, new StaticCommittee(new CommitteeSnapshot(first.Committee.Select(EthereumAddress.Parse).ToArray(), first.Threshold)));
    }
}
