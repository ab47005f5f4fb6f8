using System.Net;
using System.Numerics;
using System.Text.Json;
using Validium.Crypto;
using Validium.DaCommittee.Client;
using Validium.L1;
using Validium.L1.Abi;
using Validium.L1.Contracts;
using Validium.L1.Rpc;
using Validium.L1.Transactions;

namespace Validium.DaCommittee.Tests;

/// <summary>
/// The real Validium contract on anvil is the judge: members follow its committee, the client's bundle passes its
/// checkAttestation, and a member removed by governance stops signing.
/// </summary>
public sealed class ContractAttestationTests
{
    private static readonly Lazy<Compiled> Artifacts = new(Build);

    private sealed record Compiled((ContractAbi Abi, byte[] Bytecode) Validium, (ContractAbi Abi, byte[] Bytecode) PoseidonT3, int BatchNumberSlot, int BatchNumberOffset);

    private static Compiled Build()
    {
        var root = NodeTool.RequireNode("solc");
        var (code, stdout, err) = NodeTool.Run(root, TimeSpan.FromMinutes(3), "da-committee/tests/Validium.DaCommittee.Tests/js/contracts.mjs");
        if (code != 0) throw new InvalidOperationException("compiling the contracts failed:\n" + err);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        (ContractAbi, byte[]) Artifact(string name) =>
            (ContractAbi.FromJson(r.GetProperty(name).GetProperty("abi")), Hex.Decode(r.GetProperty(name).GetProperty("bytecode").GetString()!));
        var slot = r.GetProperty("batchNumber");
        if (slot.GetProperty("bytes").GetInt32() != 8) throw new InvalidDataException("Validium.batchNumber is no longer a uint64");
        return new Compiled(Artifact("Validium"), Artifact("PoseidonT3"), slot.GetProperty("slot").GetInt32(), slot.GetProperty("offset").GetInt32());
    }

    /// <summary>anvil with a deployed Validium whose committee is <paramref name="committee"/> (2-of-n), and the owner's sender.</summary>
    private static async Task<(Contract Validium, TransactionSender Owner)> DeployAsync(EthClient eth, string stateDir, Secp256k1PrivateKey[] committee)
    {
        var artifacts = Artifacts.Value;
        var owner = Secp256k1PrivateKey.FromHex(AnvilProcess.DevKeys[0]);
        var sender = new TransactionSender(eth, owner, await NonceManager.OpenAsync(Path.Combine(stateDir, "nonces.json"), eth, owner.Address),
            new TransactionSenderOptions { PollInterval = TimeSpan.FromMilliseconds(50), PriorityFeePerGas = 1_000_000_000 });
        var p3 = await Contract.DeployAsync(sender, artifacts.PoseidonT3.Abi, artifacts.PoseidonT3.Bytecode, []);
        // Only the committee, the Poseidon T3 the constructor hashes with, and the delays matter here; the other
        // dependencies are placeholders the attestation check never calls.
        var placeholder = EthereumAddress.Parse("0x000000000000000000000000000000000000dEaD");
        object?[] config =
        [
            placeholder, placeholder, placeholder, p3.Address, placeholder, placeholder, placeholder, placeholder,
            (BigInteger)4, (BigInteger)3, (BigInteger)10, (BigInteger)20, owner.Address,
            committee.Select(k => (object?)k.Address).ToArray(), (BigInteger)2, placeholder,
        ];
        return (await Contract.DeployAsync(sender, artifacts.Validium.Abi, artifacts.Validium.Bytecode, [config]), sender);
    }

    private static Secp256k1PrivateKey[] AscendingKeys(int n) =>
        Enumerable.Range(0, n).Select(_ => Secp256k1PrivateKey.Generate()).OrderBy(k => LocalCommittee.AddressValue(k.Address)).ToArray();

    [SkippableFact]
    public async Task The_contract_accepts_the_clients_attestation_and_a_removed_member_stops_signing()
    {
        using var anvil = AnvilProcess.Start();
        using var rpc = new JsonRpcClient(anvil.Url);
        var eth = new EthClient(rpc);
        var stateDir = Directory.CreateTempSubdirectory("dac-l1-");
        try
        {
            var memberKeys = AscendingKeys(3);
            var (validium, sender) = await DeployAsync(eth, stateDir.FullName, memberKeys);
            var domain = new DacDomain(AnvilProcess.ChainId, validium.Address);
            // Members follow the contract (no fixed committee in their config).
            await using var c = await LocalCommittee.StartAsync(memberKeys, 2, domain, (_, o) =>
            {
                o.Committee = null;
                o.L1 = new MemberOptions.L1Options { Rpc = anvil.Url.ToString(), PollIntervalSeconds = 0.1, Confirmations = 0 };
            });

            using var client = c.Client(TimeSpan.FromSeconds(20), committee: new L1Committee(eth, validium.Address, TimeSpan.FromMilliseconds(100)), urls: c.Urls);
            var data = LocalCommittee.BatchData(50, 11);
            var bundle = await client.AttestAsync(1, data);
            Assert.Equal(2, bundle.Signatures.Count);
            var commitment = bundle.Commitment.ToBigInteger();
            Assert.Equal(bundle.Digest, await validium.CallSingleAsync("attestationDigest", 1ul, commitment));
            await validium.CallAsync("checkAttestation", [1ul, commitment, bundle.ToContractArgument()]);

            var reversed = bundle.ToContractArgument().Reverse().ToArray();
            var e = await Assert.ThrowsAsync<ContractRevertException>(() => validium.CallAsync("checkAttestation", [1ul, commitment, reversed]));
            Assert.Equal("SignersNotAscending", e.Reason.Name);
            e = await Assert.ThrowsAsync<ContractRevertException>(() => validium.CallAsync("checkAttestation", [2ul, commitment, bundle.ToContractArgument()]));
            Assert.Equal("NotASigner", e.Reason.Name);

            // Governance removes the first member (after the timelock).
            object?[] remaining = [memberKeys[1].Address, memberKeys[2].Address];
            await validium.SendAsync(sender, "proposeCommittee", [remaining, (BigInteger)2]);
            await rpc.CallAsync("evm_increaseTime", [21]);
            await rpc.CallAsync("evm_mine", []);
            await validium.SendAsync(sender, "executeCommittee", [remaining, (BigInteger)2]);
            await Task.Delay(300);

            var http = new HttpClient();
            var next = LocalCommittee.BatchData(5, 12);
            var (ts, nonce, sig) = SubmitAuth.Sign(c.Sequencer, domain, 2, next, DateTimeOffset.UtcNow);
            using var req = new HttpRequestMessage(HttpMethod.Post, new Uri(c.Urls[0], DacRoutes.BatchPath(2))) { Content = new ByteArrayContent(next) };
            req.Headers.Add(SubmitAuth.TimestampHeader, ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
            req.Headers.Add(SubmitAuth.NonceHeader, nonce);
            req.Headers.Add(SubmitAuth.SignatureHeader, sig);
            using var refused = await http.SendAsync(req);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var info = JsonSerializer.Deserialize<MemberInfo>(await http.GetStringAsync(new Uri(c.Urls[0], DacRoutes.Info)))!;
            Assert.False(info.IsMember);
            Assert.Equal("l1", info.CommitteeSource);

            bundle = await client.AttestAsync(2, next);
            Assert.Equal([memberKeys[1].Address, memberKeys[2].Address], bundle.Signatures.Select(s => s.Signer));
            await validium.CallAsync("checkAttestation", [2ul, bundle.Commitment.ToBigInteger(), bundle.ToContractArgument()]);
        }
        finally
        {
            stateDir.Delete(true);
        }
    }

    [SkippableFact]
    public async Task Retention_prunes_only_batches_older_than_the_configured_number_of_finalized_batches()
    {
        using var anvil = AnvilProcess.Start();
        using var rpc = new JsonRpcClient(anvil.Url);
        var eth = new EthClient(rpc);
        var stateDir = Directory.CreateTempSubdirectory("dac-l1-");
        try
        {
            var keys = AscendingKeys(2);
            var (validium, _) = await DeployAsync(eth, stateDir.FullName, keys);
            var domain = new DacDomain(AnvilProcess.ChainId, validium.Address);
            // Member 0 keeps the newest 2 finalized batches; member 1 keeps everything (the default).
            await using var c = await LocalCommittee.StartAsync(keys, 2, domain, (i, o) =>
            {
                o.Committee = null;
                o.L1 = new MemberOptions.L1Options { Rpc = anvil.Url.ToString(), PollIntervalSeconds = 0.1, Confirmations = 2 };
                o.RetainFinalizedBatches = i == 0 ? 2 : null;
            });
            using var client = c.Client(TimeSpan.FromSeconds(20), committee: new L1Committee(eth, validium.Address, TimeSpan.FromSeconds(1)));
            for (ulong n = 1; n <= 5; n++) await client.AttestAsync(n, LocalCommittee.BatchData(4, (int)n));

            // Stand in for four proven batches: batchNumber is a uint64 packed into a storage slot (read from solc's layout).
            var compiled = Artifacts.Value;
            var slot = Hex.EncodeQuantity(compiled.BatchNumberSlot);
            var word = Hex.Decode((await rpc.CallAsync("eth_getStorageAt", [validium.Address.ToString(), slot, "latest"])).GetString()!);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(word.AsSpan(32 - compiled.BatchNumberOffset - 8, 8), 4);
            await rpc.CallAsync("anvil_setStorageAt", [validium.Address.ToString(), slot, Hex.Encode(word)]);
            Assert.Equal((BigInteger)4, await validium.CallSingleAsync("batchNumber"));

            // Not yet final: two confirmations are required, so nothing goes.
            await rpc.CallAsync("evm_mine", []);
            await Task.Delay(500);
            Assert.Equal([1ul, 2, 3, 4, 5], Stored(c, 0));
            await rpc.CallAsync("evm_mine", []);
            await rpc.CallAsync("evm_mine", []);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (Stored(c, 0).Length != 3 && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.Equal([3ul, 4, 5], Stored(c, 0));
            Assert.Equal([1ul, 2, 3, 4, 5], Stored(c, 1));
        }
        finally
        {
            stateDir.Delete(true);
        }
    }

    private static ulong[] Stored(LocalCommittee c, int member) => c.Members[member]!.Service.Store.List(0, 100).Select(b => b.Number).ToArray();
}
