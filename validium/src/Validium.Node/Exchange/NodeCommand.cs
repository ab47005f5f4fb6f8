using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Numerics;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;

namespace Validium.Node.Exchange;

/// <summary>
/// What the node journals: everything a replay needs to rebuild the same engine state and the same batch operations.
/// The command's time is not part of it: the sequencer stamps each record, and the record's timestamp is the time the
/// engine sees.
/// </summary>
public abstract record NodeCommand;

/// <summary>
/// A trader command (place, cancel, cancel-all) with the EdDSA-Poseidon signature of its account's key (ORDERS.md).
/// <see cref="Verified"/>: the node checked the signature against the account's key before journaling it (keys never
/// change), so applying it, now or in a replay, does not check it again on the single matching thread.
/// </summary>
public sealed record SignedCommand(Command Command, EdDsaSignature Signature, bool Verified = false) : NodeCommand;

/// <summary>
/// A withdrawal to an L1 recipient, signed by the account's key over <see cref="Circuits.BatchEncoding.WithdrawalMessage"/>.
/// Its nonce counts withdrawals only (the state tree's account nonce), apart from the trader-command nonce.
/// </summary>
public sealed record WithdrawalRequest(int Account, ulong Nonce, ulong Amount, BigInteger Recipient, EdDsaSignature Signature) : NodeCommand;

/// <summary>An L1 deposit as the contract queued it: its operation index, the key it credits, the amount and the depositor's address.</summary>
public sealed record L1Deposit(ulong OpIndex, BabyJubjubPoint Key, ulong Amount, BigInteger Depositor) : NodeCommand;

/// <summary>
/// An L1 forced withdrawal or forced trade exactly as the contract queued it (the L1Operation's word, a, b, c), with
/// its operation index. The engine decides it by the batch circuit's rule; the batch consumes it either way.
/// </summary>
public sealed record L1Forced(ulong OpIndex, ForcedOp Op) : NodeCommand;

/// <summary>A PriceOracle round committed on L1: prices per instrument in collateral micro-units per lot.</summary>
public sealed record OracleRoundCommitted(OracleRound Round) : NodeCommand;

/// <summary>An operator command that needs no trader signature: an instrument listing or a funding settlement.</summary>
public sealed record OperatorCommand(Command Command) : NodeCommand;

/// <summary>
/// The journal's binary form of a <see cref="NodeCommand"/>: version byte, kind byte, then the kind's fields
/// (little-endian integers, field elements and addresses big-endian, signatures packed as circomlibjs packs them).
/// Decoding checks everything and says what is wrong; it never throws on bad bytes.
/// </summary>
public static class NodeCommandCodec
{
    public const byte Version = 1;
    private const byte TraderKind = 1, WithdrawalKind = 2, DepositKind = 3, OracleKind = 4, OperatorKind = 5, VerifiedTraderKind = 6, ForcedKind = 7;
    private const int AddressBytes = 20;
    private const int MaxPrices = 1 << 12;
    private static readonly BigInteger AddressLimit = BigInteger.One << 160;

    /// <summary>The encoding; <see cref="ArgumentException"/> names the field that cannot be encoded.</summary>
    public static byte[] Encode(NodeCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var w = new List<byte>(160) { Version };
        switch (command)
        {
            case SignedCommand s:
                w.Add(s.Verified ? VerifiedTraderKind : TraderKind);
                Inner(w, s.Command);
                w.AddRange(PackSignature(s.Signature));
                break;
            case WithdrawalRequest r:
                w.Add(WithdrawalKind);
                I32(w, r.Account);
                U64(w, r.Nonce);
                U64(w, r.Amount);
                Address(w, r.Recipient, "recipient");
                w.AddRange(PackSignature(r.Signature));
                break;
            case L1Deposit d:
                w.Add(DepositKind);
                U64(w, d.OpIndex);
                w.AddRange(d.Key.X.ToBigEndianBytes());
                w.AddRange(d.Key.Y.ToBigEndianBytes());
                U64(w, d.Amount);
                Address(w, d.Depositor, "depositor");
                break;
            case OracleRoundCommitted o:
                if (o.Round.Prices.Length is 0 or > MaxPrices) throw new ArgumentException($"an oracle round has 1..{MaxPrices} prices, not {o.Round.Prices.Length}", nameof(command));
                w.Add(OracleKind);
                U64(w, o.Round.Round);
                U64(w, o.Round.Timestamp);
                I32(w, o.Round.Prices.Length);
                foreach (var p in o.Round.Prices) U64(w, p);
                break;
            case L1Forced f:
                ArgumentNullException.ThrowIfNull(f.Op, nameof(command));
                w.Add(ForcedKind);
                U64(w, f.OpIndex);
                foreach (var v in (Fr[])[f.Op.Word, f.Op.A, f.Op.B, f.Op.C]) w.AddRange(v.ToBigEndianBytes());
                break;
            case OperatorCommand op:
                w.Add(OperatorKind);
                Inner(w, op.Command);
                break;
            default:
                throw new ArgumentException($"{command.GetType().Name} has no journal encoding", nameof(command));
        }
        return [.. w];
    }

    public static bool TryDecode(ReadOnlySpan<byte> bytes, out NodeCommand command, out string error)
    {
        command = null!;
        if (bytes.Length < 2) return Fail("shorter than its two header bytes", out error);
        if (bytes[0] != Version) return Fail($"version {bytes[0]}, this node reads version {Version}", out error);
        var r = new Reader(bytes[2..]);
        switch (bytes[1])
        {
            case TraderKind or VerifiedTraderKind:
                if (!r.Inner(out var c, out error)) return false;
                if (!r.Signature(out var signed, out error)) return false;
                command = new SignedCommand(c, signed, bytes[1] == VerifiedTraderKind);
                break;
            case WithdrawalKind:
            {
                if (!r.Take(4 + 8 + 8, out var fixedPart, out error)) return false;
                if (!r.Address(out var recipient, out error)) return false;
                if (!r.Signature(out var sig, out error)) return false;
                command = new WithdrawalRequest(BinaryPrimitives.ReadInt32LittleEndian(fixedPart), BinaryPrimitives.ReadUInt64LittleEndian(fixedPart[4..]),
                    BinaryPrimitives.ReadUInt64LittleEndian(fixedPart[12..]), recipient, sig);
                break;
            }
            case DepositKind:
            {
                if (!r.Take(8, out var index, out error) || !r.Field(out var x, out error) || !r.Field(out var y, out error) || !r.Take(8, out var amount, out error)) return false;
                if (!r.Address(out var depositor, out error)) return false;
                command = new L1Deposit(BinaryPrimitives.ReadUInt64LittleEndian(index), new BabyJubjubPoint(x, y), BinaryPrimitives.ReadUInt64LittleEndian(amount), depositor);
                break;
            }
            case OracleKind:
            {
                if (!r.Take(20, out var head, out error)) return false;
                int count = BinaryPrimitives.ReadInt32LittleEndian(head[16..]);
                if (count is <= 0 or > MaxPrices) return Fail($"an oracle round of {count} prices (1..{MaxPrices})", out error);
                if (!r.Take(8 * count, out var prices, out error)) return false;
                var list = ImmutableArray.CreateBuilder<ulong>(count);
                for (int i = 0; i < count; i++) list.Add(BinaryPrimitives.ReadUInt64LittleEndian(prices[(8 * i)..]));
                command = new OracleRoundCommitted(new OracleRound(BinaryPrimitives.ReadUInt64LittleEndian(head), BinaryPrimitives.ReadUInt64LittleEndian(head[8..]), list.MoveToImmutable()));
                break;
            }
            case ForcedKind:
            {
                if (!r.Take(8, out var index, out error)) return false;
                if (!r.Field(out var word, out error) || !r.Field(out var a, out error) || !r.Field(out var b, out error) || !r.Field(out var amount, out error)) return false;
                command = new L1Forced(BinaryPrimitives.ReadUInt64LittleEndian(index), new ForcedOp(word, a, b, amount));
                break;
            }
            case OperatorKind:
                if (!r.Inner(out var op, out error)) return false;
                command = new OperatorCommand(op);
                break;
            default:
                return Fail($"unknown command kind {bytes[1]}", out error);
        }
        if (r.Remaining != 0) return Fail($"{r.Remaining} bytes after the command", out error);
        error = "";
        return true;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }

    private static byte[] PackSignature(EdDsaSignature signature)
    {
        if (!signature.R8.IsOnCurve) throw new ArgumentException("the signature's R8 is not a BabyJubjub point", nameof(signature));
        if (signature.S.Sign < 0 || signature.S.GetBitLength() > 256) throw new ArgumentException("the signature's S does not fit in 32 bytes", nameof(signature));
        return signature.Pack();
    }

    private static void Inner(List<byte> w, in Command c)
    {
        var encoded = CommandCodec.Encode(c with { Time = 0 });
        I32(w, encoded.Length);
        w.AddRange(encoded);
    }

    private static void I32(List<byte> w, int v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, v);
        w.AddRange(b);
    }

    private static void U64(List<byte> w, ulong v)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, v);
        w.AddRange(b);
    }

    private static void Address(List<byte> w, BigInteger a, string name)
    {
        if (a.Sign < 0 || a >= AddressLimit) throw new ArgumentException($"the {name} is not a 160-bit address", name);
        Span<byte> b = stackalloc byte[AddressBytes];
        b.Clear();
        var raw = a.ToByteArray(isUnsigned: true, isBigEndian: true);
        raw.CopyTo(b[(AddressBytes - raw.Length)..]);
        w.AddRange(b);
    }

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private ReadOnlySpan<byte> rest = bytes;

        public readonly int Remaining => rest.Length;

        public bool Take(int n, out ReadOnlySpan<byte> taken, out string error)
        {
            if (rest.Length < n)
            {
                taken = default;
                return Fail($"truncated: {n} more bytes expected, {rest.Length} left", out error);
            }
            taken = rest[..n];
            rest = rest[n..];
            error = "";
            return true;
        }

        public bool Inner(out Command command, out string error)
        {
            command = default;
            if (!Take(4, out var len, out error)) return false;
            int n = BinaryPrimitives.ReadInt32LittleEndian(len);
            if (n is <= 0 or > CommandCodec.MaxLength) return Fail($"an inner command of {n} bytes", out error);
            if (!Take(n, out var inner, out error)) return false;
            return CommandCodec.TryDecode(inner, out command, out error);
        }

        public bool Signature(out EdDsaSignature signature, out string error)
        {
            signature = default;
            if (!Take(EdDsaSignature.PackedLength, out var packed, out error)) return false;
            return EdDsaSignature.TryUnpack(packed, out signature) || Fail("the signature's R8 does not unpack to a BabyJubjub point", out error);
        }

        public bool Field(out Fr value, out string error)
        {
            value = default;
            if (!Take(32, out var b, out error)) return false;
            var v = new BigInteger(b, isUnsigned: true, isBigEndian: true);
            if (v >= Fr.Modulus) return Fail("a field element not below the modulus", out error);
            value = Fr.FromBigInteger(v);
            return true;
        }

        public bool Address(out BigInteger address, out string error)
        {
            address = default;
            if (!Take(AddressBytes, out var b, out error)) return false;
            address = new BigInteger(b, isUnsigned: true, isBigEndian: true);
            return true;
        }
    }
}
