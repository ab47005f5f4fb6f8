using System.Numerics;
using Validium.Crypto;
using Validium.L1.Rlp;

namespace Validium.L1.Transactions;

/// <summary>One entry of an EIP-2930 access list.</summary>
public sealed record AccessListEntry(EthereumAddress Address, IReadOnlyList<byte[]> StorageKeys);

/// <summary>
/// An EIP-1559 (type 2) transaction. Unsigned, it yields the hash to sign; signed, its raw encoding
/// (0x02 || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList, yParity, r, s]))
/// is what eth_sendRawTransaction takes and its keccak is the transaction hash.
/// </summary>
public sealed record Eip1559Transaction
{
    public const byte TypeByte = 0x02;

    private static readonly BigInteger MaxUInt256 = (BigInteger.One << 256) - 1;

    public required BigInteger ChainId { get; init; }
    public required ulong Nonce { get; init; }
    public required BigInteger MaxPriorityFeePerGas { get; init; }
    public required BigInteger MaxFeePerGas { get; init; }
    public required ulong GasLimit { get; init; }

    /// <summary>Null creates a contract from <see cref="Data"/>.</summary>
    public EthereumAddress? To { get; init; }

    public BigInteger Value { get; init; }
    public byte[] Data { get; init; } = [];
    public IReadOnlyList<AccessListEntry> AccessList { get; init; } = [];

    /// <summary>Checks the field ranges Ethereum enforces; every encoder calls it so a bad transaction never leaves.</summary>
    public void Validate()
    {
        if (ChainId.Sign <= 0 || ChainId > ulong.MaxValue) throw new ArgumentOutOfRangeException(nameof(ChainId), "chain id must be in [1, 2^64-1]");
        if (Nonce == ulong.MaxValue) throw new ArgumentOutOfRangeException(nameof(Nonce), "nonce must be below 2^64-1 (EIP-2681)");
        CheckUInt256(MaxPriorityFeePerGas, nameof(MaxPriorityFeePerGas));
        CheckUInt256(MaxFeePerGas, nameof(MaxFeePerGas));
        CheckUInt256(Value, nameof(Value));
        if (MaxPriorityFeePerGas > MaxFeePerGas) throw new ArgumentException($"maxPriorityFeePerGas {MaxPriorityFeePerGas} exceeds maxFeePerGas {MaxFeePerGas}");
        ArgumentNullException.ThrowIfNull(Data);
        foreach (var e in AccessList)
            foreach (var k in e.StorageKeys)
                if (k.Length != 32) throw new ArgumentException($"access-list storage keys are 32 bytes, got {k.Length}");
    }

    /// <summary>keccak256(0x02 || rlp(unsigned fields)): the digest the sender signs.</summary>
    public byte[] SigningHash()
    {
        Validate();
        return Keccak256.Hash(Typed(RlpItem.List(Fields())));
    }

    public SignedEip1559Transaction Sign(Secp256k1PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var sig = key.Sign(SigningHash());
        return new SignedEip1559Transaction(this, sig.RecoveryId, sig.R, sig.S);
    }

    internal List<RlpItem> Fields() =>
    [
        RlpItem.Integer(ChainId),
        RlpItem.Integer(Nonce),
        RlpItem.Integer(MaxPriorityFeePerGas),
        RlpItem.Integer(MaxFeePerGas),
        RlpItem.Integer(GasLimit),
        To is { } to ? RlpItem.String(to.ToBytes()) : RlpItem.Empty,
        RlpItem.Integer(Value),
        RlpItem.String(Data),
        RlpItem.List(AccessList.Select(e => RlpItem.List(RlpItem.String(e.Address.ToBytes()), RlpItem.List(e.StorageKeys.Select(k => RlpItem.String(k)))))),
    ];

    internal static byte[] Typed(RlpItem payload)
    {
        var body = Rlp.Rlp.Encode(payload);
        var raw = new byte[1 + body.Length];
        raw[0] = TypeByte;
        body.CopyTo(raw, 1);
        return raw;
    }

    private static void CheckUInt256(BigInteger v, string name)
    {
        if (v.Sign < 0 || v > MaxUInt256) throw new ArgumentOutOfRangeException(name, $"{name} must be in [0, 2^256-1]");
    }
}

/// <summary>A signed type-2 transaction; <see cref="Decode"/> parses what <see cref="Encode"/> writes and recovers the sender.</summary>
public sealed record SignedEip1559Transaction(Eip1559Transaction Transaction, int YParity, BigInteger R, BigInteger S)
{
    /// <summary>The raw bytes eth_sendRawTransaction takes.</summary>
    public byte[] Encode()
    {
        Transaction.Validate();
        var fields = Transaction.Fields();
        fields.Add(RlpItem.Integer(YParity));
        fields.Add(RlpItem.Integer(R));
        fields.Add(RlpItem.Integer(S));
        return Eip1559Transaction.Typed(RlpItem.List(fields));
    }

    public byte[] Hash() => Keccak256.Hash(Encode());

    public string HashHex() => Hex.Encode(Hash());

    /// <summary>The address whose key signed it (throws when the signature recovers to none).</summary>
    public EthereumAddress Sender() =>
        EthereumEcdsa.RecoverPublicKey(Transaction.SigningHash(), new EcdsaSignature(R, S, (byte)(27 + YParity))).Address;

    public static SignedEip1559Transaction Decode(ReadOnlySpan<byte> raw)
    {
        if (raw.IsEmpty || raw[0] != Eip1559Transaction.TypeByte) throw new FormatException("not an EIP-1559 transaction: the first byte must be 0x02");
        var items = Rlp.Rlp.Decode(raw[1..]).Items;
        if (items.Count != 12) throw new FormatException($"an EIP-1559 transaction has 12 fields, found {items.Count}");
        var to = items[5].Bytes;
        if (to.Length is not (0 or EthereumAddress.Length)) throw new FormatException($"'to' must be empty or 20 bytes, got {to.Length}");
        var tx = new Eip1559Transaction
        {
            ChainId = items[0].AsInteger(),
            Nonce = items[1].AsUInt64(),
            MaxPriorityFeePerGas = items[2].AsInteger(),
            MaxFeePerGas = items[3].AsInteger(),
            GasLimit = items[4].AsUInt64(),
            To = to.Length == 0 ? null : EthereumAddress.FromBytes(to),
            Value = items[6].AsInteger(),
            Data = items[7].Bytes.ToArray(),
            AccessList = items[8].Items.Select(DecodeAccessEntry).ToArray(),
        };
        var parity = items[9].AsInteger(1);
        if (parity > 1) throw new FormatException($"yParity must be 0 or 1, got {parity}");
        var signed = new SignedEip1559Transaction(tx, (int)parity, items[10].AsInteger(), items[11].AsInteger());
        try
        {
            tx.Validate();
            _ = new EcdsaSignature(signed.R, signed.S, (byte)(27 + signed.YParity));
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"invalid EIP-1559 transaction: {e.Message}", e);
        }
        return signed;
    }

    private static AccessListEntry DecodeAccessEntry(RlpItem e)
    {
        var parts = e.Items;
        if (parts.Count != 2) throw new FormatException("an access-list entry is [address, storageKeys]");
        var address = parts[0].Bytes;
        if (address.Length != EthereumAddress.Length) throw new FormatException("access-list address must be 20 bytes");
        return new AccessListEntry(EthereumAddress.FromBytes(address), parts[1].Items.Select(k => k.Bytes.Length == 32 ? k.Bytes.ToArray() : throw new FormatException("access-list storage keys are 32 bytes")).ToArray());
    }
}
