using System.Numerics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Validium.Accel;
using Validium.Circuits.Witness;
using Validium.Cli;
using Validium.Crypto;
using Validium.DaCommittee.Client;
using Validium.L1.Contracts;
using Validium.State;
using Xunit.Abstractions;

namespace Validium.Settlement.Tests;

public class RecoveryTests(SettledChain chain, ITestOutputHelper output) : IClassFixture<SettledChain>
{
    private static async Task<(int Code, string Out, string Err)> Vld(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = await VldApp.RunAsync(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private string[] RecoverArgs(string outDir, params Uri[] members) =>
        ["recover", "--rpc", chain.Anvil.Url.ToString(), "--contract", chain.System.Validium.ToString(), "--circuit", chain.CircuitFile, "--out", outDir,
         "--dac", .. members.Select(m => m.ToString())];

    private string OutDir(string name) => Path.Combine(chain.Dir.FullName, name + "-" + Guid.NewGuid().ToString("N")[..8]);

    private static Uri Dead() => new($"http://127.0.0.1:{LocalCommittee.FreePort()}/");

    [SkippableFact]
    public async Task The_contract_accepts_real_batch_proofs_with_the_committees_attestation()
    {
        chain.RequireSettled();
        Assert.Equal([ProofEncoding.Uncompressed, ProofEncoding.Compressed], chain.Settled.Select(s => s.Encoding));
        Assert.Equal(new BigInteger(2), await chain.Validium.CallSingleAsync("batchNumber"));
        Assert.Equal(chain.Roots[^1].ToBigInteger(), await chain.Validium.CallSingleAsync("stateRoot"));
        Assert.Equal(new BigInteger(6), await chain.Validium.CallSingleAsync("processedOps"));
        // Batch 1's withdrawal and batch 2's paid forced withdrawal were credited to the user's L1 address by the contract itself.
        Assert.Equal(new BigInteger(1_000 * SettledChain.Usd + SettledChain.ForcedPaid), await chain.Validium.CallSingleAsync("claimable", chain.User.Address));
        foreach (var s in chain.Settled) output.WriteLine($"{BatchProof.Function(s.Encoding)} gas, batch {s.Number}: {s.GasUsed:N0} ({s.Attestation.Signatures.Count} signatures, {s.Receipt.Logs.Count} logs)");
    }

    [SkippableFact]
    public async Task Recovery_from_one_member_with_the_others_down_reproduces_every_root()
    {
        chain.RequireSettled();
        var dir = OutDir("one-member");
        var member = await chain.MemberWithEveryBatchAsync();
        var (code, stdout, stderr) = await Vld(RecoverArgs(dir, Dead(), Dead(), member));
        Assert.True(code == 0, stderr + stdout);
        output.WriteLine(stdout);
        Assert.Contains("L1: 2 batch(es), 6 L1 operation(s)", stdout);
        Assert.Contains("batch 2: 1 deposits, 1 trades, 0 withdrawals, 2 forced requests", stdout);

        var snapshot = StateSnapshot.FromJson(File.ReadAllText(Path.Combine(dir, StateRecovery.SnapshotFile)));
        Assert.Equal(2UL, snapshot.BatchNumber);
        Assert.Equal(6UL, snapshot.OpsProcessed);
        Assert.Equal(chain.Roots[^1], snapshot.Root);
        Assert.Equal(chain.Roots[^1].ToBigInteger(), await chain.Validium.CallSingleAsync("stateRoot"));
        using (var store = StateStore.Open(Path.Combine(dir, StateRecovery.StateDirectory), new AccelDispatcher(new BackendRegistry(), new AccelOptions { Mode = AccelMode.Cpu })))
        {
            var accounts = store.Tree(TreeId.Accounts, chain.Config.AccountDepth);
            // The root after every batch, not just the last, is the one the operator's state had.
            for (int b = 0; b < chain.Roots.Count; b++) Assert.Equal(chain.Roots[b], accounts.RootAt((ulong)b + 1));
            snapshot.CheckAgainst(store);
        }
        // The leaves' preimages equal the operator's, and the engine's balances and positions (less the forced withdrawal paid on L1, which the engine does not see).
        Assert.Equal(chain.Mirror.Accounts.Keys.Order(), snapshot.Mirror.Accounts.Keys.Order());
        foreach (var id in chain.Engine.AccountIds())
        {
            var data = snapshot.Mirror.Account((ulong)id)!;
            Assert.Equal(chain.Engine.Account(id).Collateral + (id == 0 ? chain.Engine.FeePool : 0) - (id == SettledChain.ForcedAccount ? SettledChain.ForcedPaid : 0), data.Collateral);
            for (int i = 0; i < chain.Config.InstrumentCount; i++)
            {
                var (quantity, cost) = chain.Engine.Position(id, i);
                Assert.Equal(quantity, data.Positions[i].Size * chain.Engine.Instrument(i).LotSize);
                Assert.Equal(cost, data.Positions[i].OpenNotional);
            }
        }
        Assert.Equal(chain.Mirror.Fills.OrderBy(kv => kv.Key), snapshot.Mirror.Fills.OrderBy(kv => kv.Key));

        // The recovered directory is what escape-proof reads: an account's proof is against the root L1 holds.
        (code, stdout, stderr) = await Vld("escape-proof", "--state", dir, "--account", "1");
        Assert.True(code == 0, stderr);
        using (var proof = JsonDocument.Parse(stdout))
        {
            var siblings = proof.RootElement.GetProperty("siblings").EnumerateArray().Select(x => Fr.Parse(x.GetString()!)).ToArray();
            Assert.Equal(chain.Config.AccountDepth, siblings.Length);
            var leaf = snapshot.Mirror.Account(1)!.Leaf(chain.Config.PositionsDepth).Hash();
            Assert.True(MerkleProof.Verify(chain.Roots[^1], 1, leaf, siblings));
            Assert.Equal(chain.Engine.Account(1).Collateral, proof.RootElement.GetProperty("leaf").GetProperty("collateral").GetInt64());
        }
        (code, _, stderr) = await Vld("escape-proof", "--state", dir, "--account", "9");
        Assert.Equal(2, code);
        Assert.Contains("account 9 is empty in the state of batch 2", stderr);

        // Recovery writes a fresh state: it refuses to write over one.
        (code, _, stderr) = await Vld(RecoverArgs(dir, member));
        Assert.Equal(2, code);
        Assert.Contains("is not empty", stderr);
    }

    [Fact]
    public async Task Bad_arguments_end_with_one_line_and_exit_2()
    {
        var dir = Directory.CreateTempSubdirectory("recover-args-");
        try
        {
            var circuit = Path.Combine(dir.FullName, "circuit.json");
            File.WriteAllText(circuit, "{\"accountDepth\": 4}");
            string[][] cases =
            [
                ["recover", "--rpc", "ftp://x", "--contract", "0x00000000000000000000000000000000000000aa", "--dac", "http://127.0.0.1:1/", "--circuit", circuit, "--out", dir.FullName],
                ["recover", "--rpc", "http://127.0.0.1:1/", "--contract", "0xzz", "--dac", "http://127.0.0.1:1/", "--circuit", circuit, "--out", dir.FullName],
                ["recover", "--rpc", "http://127.0.0.1:1/", "--contract", "0x00000000000000000000000000000000000000aa", "--dac", "member", "--circuit", circuit, "--out", dir.FullName],
                ["recover", "--rpc", "http://127.0.0.1:1/", "--contract", "0x00000000000000000000000000000000000000aa", "--dac", "http://127.0.0.1:1/", "--circuit", circuit, "--out", dir.FullName],
                ["escape-proof", "--account", "1"],
                ["escape-proof", "--account", "1", "--state", dir.FullName],
            ];
            string[] expected = ["--rpc must be an http(s) URL", "--contract '0xzz' is not an address", "--dac 'member' is not an http(s) URL", "circuit configuration:",
                "give --state DIR", "has no snapshot.json"];
            for (int i = 0; i < cases.Length; i++)
            {
                var (code, _, stderr) = await Vld(cases[i]);
                Assert.Equal(2, code);
                Assert.Contains(expected[i], stderr);
                Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            }
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [SkippableFact]
    public async Task A_member_serving_tampered_data_is_detected_and_another_member_used()
    {
        chain.RequireSettled();
        var honest = await chain.MemberWithEveryBatchAsync();
        await using var liar = await TamperingReader.StartAsync(honest);
        var dir = OutDir("tampered");
        var (code, stdout, stderr) = await Vld(RecoverArgs(dir, liar.Url, honest));
        Assert.True(code == 0, stderr + stdout);
        Assert.True(liar.Served >= 2, $"the tampering member was asked {liar.Served} times");
        Assert.Contains($"batch 1: {liar.Url} served data whose commitment is", stderr);
        Assert.Contains($"batch 2: {liar.Url} served data whose commitment is", stderr);
        Assert.Equal(chain.Roots[^1], StateSnapshot.FromJson(File.ReadAllText(Path.Combine(dir, StateRecovery.SnapshotFile))).Root);
    }

    [SkippableFact]
    public async Task A_batch_no_member_has_or_data_that_does_not_replay_to_the_root_is_a_clear_error()
    {
        chain.RequireSettled();
        await using var empty = await LocalCommittee.StartAsync(1, 1, new DacDomain(AnvilProcess.ChainId, chain.System.Validium));
        var dead = Dead();
        var (code, _, stderr) = await Vld(RecoverArgs(OutDir("missing"), empty.Urls[0], dead));
        Assert.Equal(2, code);
        var commitment = Hex(chain.Settled[0].Attestation.Commitment);
        Assert.Contains($"batch 1 (data commitment {commitment}): no member serves its data: {empty.Urls[0]}: does not have it; {dead}: unreachable", stderr);
        // No member at all: these batches' data is not on L1, so recovery names the first one and asks for a member.
        (code, _, stderr) = await Vld("recover", "--rpc", chain.Anvil.Url.ToString(), "--contract", chain.System.Validium.ToString(), "--out", OutDir("no-member"));
        Assert.Equal(2, code);
        Assert.Contains("batch 1 was accepted with the committee's signatures, so its data is with the members: give at least one member URL", stderr);

        // The same data under another circuit configuration (fees to account 2): a different state, named by batch.
        var other = Path.Combine(chain.Dir.FullName, "other-circuit.json");
        File.WriteAllText(other, StateSnapshot.ConfigJson(chain.Config with { FeeAccount = 2 }).ToJsonString());
        var wrongDir = OutDir("wrong-config");
        var args = RecoverArgs(wrongDir, await chain.MemberWithEveryBatchAsync());
        args[Array.IndexOf(args, chain.CircuitFile)] = other;
        (code, _, stderr) = await Vld(args);
        Assert.Equal(2, code);
        Assert.Contains("batch 1: replaying its data gives root", stderr);
        Assert.Contains($"but L1 committed {chain.Roots[0]}", stderr);
        // Nothing half-recovered is left behind to be mistaken for a state, and a rerun starts clean.
        Assert.False(Directory.Exists(Path.Combine(wrongDir, StateRecovery.StateDirectory)));
        Assert.False(File.Exists(Path.Combine(wrongDir, StateRecovery.SnapshotFile)));
        args[Array.IndexOf(args, other)] = chain.CircuitFile;
        (code, _, stderr) = await Vld(args);
        Assert.True(code == 0, stderr);
    }

    [SkippableFact]
    public async Task The_escape_proof_pays_the_account_its_value_from_the_frozen_contract()
    {
        chain.RequireSettled();
        const int account = 2;
        // No --circuit: the circuit configuration comes from the deployed verifier, as a user of a vanished operator has it.
        var (code, stdout, stderr) = await Vld(["escape-proof", "--account", account.ToString(System.Globalization.CultureInfo.InvariantCulture), "--rpc", chain.Anvil.Url.ToString(),
            "--contract", chain.System.Validium.ToString(), "--dac", (await chain.MemberWithEveryBatchAsync()).ToString()]);
        Assert.True(code == 0, stderr + stdout);
        using var doc = JsonDocument.Parse(stdout);
        var p = doc.RootElement;
        Assert.Equal(chain.Roots[^1].ToString(), p.GetProperty("root").GetString());

        // Frozen the way a user would: an L1 request the operator never includes, past its deadline.
        var key = SettledChain.L2Public(5);
        await chain.Validium.SendAsync(chain.User, "deposit", [(BigInteger)SettledChain.Usd, key.X.ToBigInteger(), key.Y.ToBigInteger()]);
        await chain.Rpc.CallAsync("evm_increaseTime", [SettledChain.ForcedDelay + 100]);
        await chain.Rpc.CallAsync("evm_mine");
        await chain.Validium.SendAsync(chain.Operator, "freeze", []);
        object?[] prices = [.. chain.Round.Prices.Select(x => (object?)(BigInteger)x)];
        await chain.Validium.SendAsync(chain.Operator, "setEscapePrices", [(BigInteger)chain.Round.Timestamp, prices]);

        var leaf = p.GetProperty("leaf");
        object?[] leafArg = [BigInteger.Parse(leaf.GetProperty("ax").GetString()!), BigInteger.Parse(leaf.GetProperty("ay").GetString()!),
            (BigInteger)leaf.GetProperty("nonce").GetUInt64(), (BigInteger)leaf.GetProperty("collateral").GetInt64()];
        object?[] positions = [.. p.GetProperty("positions").EnumerateArray().Select(x => (object?)new object?[]
        {
            (BigInteger)x.GetProperty("instrument").GetInt32(), (BigInteger)x.GetProperty("size").GetInt64(),
            (BigInteger)x.GetProperty("openNotional").GetInt64(), (BigInteger)x.GetProperty("fundingIndex").GetInt64(),
        })];
        object?[] siblings = [.. p.GetProperty("siblings").EnumerateArray().Select(x => (object?)BigInteger.Parse(x.GetString()!))];
        var recipient = Secp256k1PrivateKey.FromHex(AnvilProcess.DevKeys[4]).Address;
        var domain = (BigInteger)(await chain.Validium.CallSingleAsync("domain"))!;
        var word = 4 + ((BigInteger)account << 8) + (SettledChain.AddressValue(recipient) << 72);
        var sig = EdDsaPoseidon.Sign(SettledChain.L2Key(account), Poseidon.Hash([Fr.FromBigInteger(domain), Fr.FromBigInteger(word), Fr.Zero, Fr.Zero, Fr.Zero]));
        var before = (BigInteger)(await chain.Token.CallSingleAsync("balanceOf", recipient))!;
        var receipt = await chain.Validium.SendAsync(chain.User, "escapeWithdraw",
            [(BigInteger)account, leafArg, positions, siblings, recipient, new object?[] { sig.R8.X.ToBigInteger(), sig.R8.Y.ToBigInteger(), sig.S }]);
        var paid = (BigInteger)(await chain.Token.CallSingleAsync("balanceOf", recipient))! - before;

        // What the engine says the account is worth at the round's prices (per lot), independently of the state code.
        BigInteger value = chain.Engine.Account(account).Collateral;
        for (int i = 0; i < chain.Config.InstrumentCount; i++)
        {
            var (quantity, cost) = chain.Engine.Position(account, i);
            value += (BigInteger)(quantity / chain.Engine.Instrument(i).LotSize) * chain.Round.Prices[i] - cost;
        }
        Assert.True(value > 0);
        Assert.Equal(value, paid);
        output.WriteLine($"escapeWithdraw gas: {receipt.GasUsed:N0}, paid {paid}");
        var again = await Assert.ThrowsAsync<Validium.L1.Abi.ContractRevertException>(() => chain.Validium.SendAsync(chain.User, "escapeWithdraw",
            [(BigInteger)account, leafArg, positions, siblings, recipient, new object?[] { sig.R8.X.ToBigInteger(), sig.R8.Y.ToBigInteger(), sig.S }]));
        Assert.Contains("AlreadyEscaped", again.Message);
    }

    private static string Hex(Fr f) => Validium.L1.Hex.Encode(f.ToBigEndianBytes());

    /// <summary>A member that answers reads with the honest member's bytes, one bit changed: still field words, another commitment.</summary>
    private sealed class TamperingReader : IAsyncDisposable
    {
        private readonly WebApplication app;
        private int served;

        private TamperingReader(WebApplication app, Uri url)
        {
            this.app = app;
            Url = url;
        }

        public Uri Url { get; }
        public int Served => served;

        public static async Task<TamperingReader> StartAsync(Uri honest)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            TamperingReader? self = null;
            var http = new HttpClient();
            app.MapGet(DacRoutes.ByCommitment, async (string commitment, HttpContext context) =>
            {
                Interlocked.Increment(ref self!.served);
                var data = await http.GetByteArrayAsync(new Uri(honest, DacRoutes.ByCommitment.Replace("{commitment}", commitment, StringComparison.Ordinal)));
                data[^1] ^= 1;
                return Results.Bytes(data, "application/octet-stream");
            });
            await app.StartAsync();
            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            self = new TamperingReader(app, new Uri(url));
            return self;
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
