using System.Numerics;
using System.Text.Json;
using Validium.Crypto;
using Validium.L1.Transactions;

namespace Validium.L1.Tests;

/// <summary>EIP-1559 encoding and signing, checked byte for byte against ethers v6.</summary>
public class TransactionTests
{
    private static BigInteger RandomUInt(Random rng, int maxBits)
    {
        int bits = rng.Next(maxBits + 1);
        var bytes = new byte[(bits + 7) / 8 + 1];
        rng.NextBytes(bytes);
        bytes[^1] = 0;
        var v = new BigInteger(bytes);
        return bits == 0 ? BigInteger.Zero : v & ((BigInteger.One << bits) - 1);
    }

    private static byte[] Bytes(Random rng, int n)
    {
        var b = new byte[n];
        rng.NextBytes(b);
        return b;
    }

    internal static Eip1559Transaction RandomTransaction(Random rng)
    {
        var maxFee = RandomUInt(rng, rng.Next(2) == 0 ? 64 : 256);
        return new Eip1559Transaction
        {
            ChainId = rng.Next(3) switch { 0 => 1, 1 => 31337, _ => 1 + RandomUInt(rng, 63) },
            Nonce = (ulong)RandomUInt(rng, 52),
            MaxFeePerGas = maxFee,
            MaxPriorityFeePerGas = maxFee.IsZero ? 0 : RandomUInt(rng, 256) % (maxFee + 1),
            GasLimit = (ulong)RandomUInt(rng, 63),
            To = rng.Next(4) == 0 ? null : EthereumAddress.FromBytes(Bytes(rng, 20)),
            Value = RandomUInt(rng, 256),
            Data = Bytes(rng, rng.Next(4) == 0 ? 0 : rng.Next(300)),
            AccessList = Enumerable.Range(0, rng.Next(3))
                .Select(_ => new AccessListEntry(EthereumAddress.FromBytes(Bytes(rng, 20)), Enumerable.Range(0, rng.Next(3)).Select(_ => Bytes(rng, 32)).ToArray()))
                .ToArray(),
        };
    }

    private static object EthersTx(Eip1559Transaction t) => new
    {
        chainId = t.ChainId.ToString(),
        nonce = t.Nonce.ToString(System.Globalization.CultureInfo.InvariantCulture),
        maxPriorityFeePerGas = t.MaxPriorityFeePerGas.ToString(),
        maxFeePerGas = t.MaxFeePerGas.ToString(),
        gasLimit = t.GasLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        to = t.To?.ToString().ToLowerInvariant(),
        value = t.Value.ToString(),
        data = Hex.Encode(t.Data),
        accessList = t.AccessList.Select(e => new { address = e.Address.ToString().ToLowerInvariant(), storageKeys = e.StorageKeys.Select(k => Hex.Encode(k)).ToArray() }).ToArray(),
    };

    [SkippableFact]
    public void Signed_transactions_are_byte_identical_to_ethers()
    {
        var rng = new Random(1559);
        var keys = Enumerable.Range(0, 150).Select(_ => Secp256k1PrivateKey.Generate()).ToArray();
        var txs = keys.Select(_ => RandomTransaction(rng)).ToArray();
        var answers = JsTools.Ethers(txs.Select((t, i) => new { op = "signTx", privateKey = keys[i].ToHex(), tx = EthersTx(t) }));
        for (int i = 0; i < txs.Length; i++)
        {
            var a = answers[i];
            Assert.False(a.TryGetProperty("error", out var err), err.ToString());
            Assert.Equal(a.GetProperty("unsignedHash").GetString(), Hex.Encode(txs[i].SigningHash()));
            var signed = txs[i].Sign(keys[i]);
            Assert.Equal(a.GetProperty("raw").GetString(), Hex.Encode(signed.Encode()));
            Assert.Equal(a.GetProperty("hash").GetString(), signed.HashHex());
            Assert.Equal(a.GetProperty("from").GetString(), keys[i].Address.ToString().ToLowerInvariant());

            var decoded = SignedEip1559Transaction.Decode(Hex.Decode(a.GetProperty("raw").GetString()!));
            Assert.Equal(keys[i].Address, decoded.Sender());
            Assert.Equal(signed.Encode(), decoded.Encode());
        }
    }

    [SkippableFact]
    public void Ethers_parses_our_raw_transactions()
    {
        var rng = new Random(2718);
        var key = Secp256k1PrivateKey.Generate();
        var signed = Enumerable.Range(0, 40).Select(_ => RandomTransaction(rng).Sign(key)).ToArray();
        var answers = JsTools.Ethers(signed.Select(s => new { op = "parseTx", raw = Hex.Encode(s.Encode()) }));
        for (int i = 0; i < signed.Length; i++)
        {
            var a = answers[i];
            var t = signed[i].Transaction;
            Assert.Equal(key.Address.ToString().ToLowerInvariant(), a.GetProperty("from").GetString());
            Assert.Equal(signed[i].HashHex(), a.GetProperty("hash").GetString());
            Assert.Equal((long)t.Nonce, a.GetProperty("nonce").GetInt64());
            Assert.Equal(t.ChainId.ToString(), a.GetProperty("chainId").GetString());
            Assert.Equal(t.To?.ToString().ToLowerInvariant(), a.GetProperty("to").ValueKind == JsonValueKind.Null ? null : a.GetProperty("to").GetString());
            Assert.Equal(t.MaxFeePerGas.ToString(), a.GetProperty("maxFeePerGas").GetString());
            Assert.Equal(signed[i].YParity, a.GetProperty("yParity").GetInt32());
        }
    }

    [Fact]
    public void Decoding_rejects_what_is_not_a_valid_signed_type_2_transaction()
    {
        var key = Secp256k1PrivateKey.FromHex(AnvilProcess.DevKeys[0]);
        var raw = RandomTransaction(new Random(5)).Sign(key).Encode();
        Assert.Contains("0x02", Assert.Throws<FormatException>(() => SignedEip1559Transaction.Decode([0x01, .. raw[1..]])).Message);
        Assert.Throws<FormatException>(() => SignedEip1559Transaction.Decode(raw[..^1]));
        Assert.Throws<FormatException>(() => SignedEip1559Transaction.Decode([.. raw, 0]));
        // A high-s signature is the malleable twin of a valid one: Ethereum refuses it, so must we.
        var signed = SignedEip1559Transaction.Decode(raw);
        var twin = signed with { S = Secp256k1Order - signed.S, YParity = signed.YParity ^ 1 };
        Assert.Contains("high-s", Assert.Throws<FormatException>(() => SignedEip1559Transaction.Decode(twin.Encode())).Message);
    }

    [Fact]
    public void Invalid_fields_are_refused_before_signing()
    {
        var key = Secp256k1PrivateKey.Generate();
        var t = RandomTransaction(new Random(9)) with { MaxFeePerGas = 10, MaxPriorityFeePerGas = 11 };
        Assert.Throws<ArgumentException>(() => t.Sign(key));
        Assert.Throws<ArgumentOutOfRangeException>(() => (t with { MaxPriorityFeePerGas = 1, ChainId = 0 }).Sign(key));
        Assert.Throws<ArgumentOutOfRangeException>(() => (t with { MaxPriorityFeePerGas = 1, Value = BigInteger.One << 256 }).Sign(key));
        Assert.Throws<ArgumentOutOfRangeException>(() => (t with { MaxPriorityFeePerGas = 1, Nonce = ulong.MaxValue }).Sign(key));
    }

    private static readonly BigInteger Secp256k1Order = BigInteger.Parse("115792089237316195423570985008687907852837564279074904382605163141518161494337", System.Globalization.CultureInfo.InvariantCulture);
}
