using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using Validium.Node.Exchange;
using static Validium.Node.Tests.Harness;

namespace Validium.Node.Tests;

public class NodeCommandCodecTests
{
    private static readonly Command Place = Order(3, 7, Side.Buy, 50_000, 2, OrderType.PostOnly);

    public static TheoryData<string> Kinds => ["trader", "trader-verified", "withdrawal", "deposit", "oracle", "operator", "forced-withdrawal", "forced-trade"];

    private static NodeCommand Sample(string kind) => kind switch
    {
        "trader" => new SignedCommand(Place, OrderSigning.Sign(Place, PrivateKey(3))),
        "trader-verified" => new SignedCommand(Place, OrderSigning.Sign(Place, PrivateKey(3)), Verified: true),
        "withdrawal" => Withdrawal(3, 9, 1_234, signer: 3),
        "deposit" => new L1Deposit(17, PublicKey(4), 5 * Usd, Address(4)),
        "oracle" => new OracleRoundCommitted(Round(3, 51_000)),
        "forced-withdrawal" => new L1Forced(5, ForcedOp.Withdrawal(3, PublicKey(3), 7 * Usd, Address(3))),
        "forced-trade" => new L1Forced(6, ForcedOp.Trade(3, 4, 0, -2, 51_000, PublicKey(3), PublicKey(4))),
        _ => new OperatorCommand(Command.List(0, Btc)),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryKindDecodesToWhatWasEncodedAndEveryTruncationOrExtraByteIsRefused(string kind)
    {
        var command = Sample(kind);
        var bytes = NodeCommandCodec.Encode(command);
        Assert.True(NodeCommandCodec.TryDecode(bytes, out var decoded, out var error), error);
        Assert.Equal(NodeCommandCodec.Encode(decoded), bytes);
        switch (command, decoded)
        {
            case (SignedCommand a, SignedCommand b):
                Assert.Equal(OrderSigning.Hash(a.Command), OrderSigning.Hash(b.Command));
                Assert.Equal((a.Signature, a.Verified), (b.Signature, b.Verified));
                Assert.True(OrderSigning.Verify(b.Command, b.Signature, PublicKey(3)));
                break;
            case (OracleRoundCommitted a, OracleRoundCommitted b):
                Assert.Equal((a.Round.Round, a.Round.Timestamp), (b.Round.Round, b.Round.Timestamp));
                Assert.Equal(a.Round.Prices.ToArray(), b.Round.Prices.ToArray());
                break;
            case (OperatorCommand a, OperatorCommand b):
                Assert.Equal(a.Command.Payload, b.Command.Payload);
                break;
            default:
                Assert.Equal(command, decoded);
                break;
        }
        for (int n = 0; n < bytes.Length; n++)
            Assert.False(NodeCommandCodec.TryDecode(bytes.AsSpan(0, n), out _, out _), $"a {n}-byte prefix of {bytes.Length} decoded");
        Assert.False(NodeCommandCodec.TryDecode([.. bytes, 0], out _, out var extra));
        Assert.Contains("after the command", extra);
    }

    [Fact]
    public void AForcedRequestWordAboveTheFieldIsRefusedWhenDecoding()
    {
        var bytes = NodeCommandCodec.Encode(new L1Forced(1, new ForcedOp(Fr.One, Fr.One, Fr.One, Fr.One)));
        Fr.Modulus.ToByteArray(isUnsigned: true, isBigEndian: true).CopyTo(bytes, 2 + 8);
        Assert.False(NodeCommandCodec.TryDecode(bytes, out _, out var error));
        Assert.Contains("not below the modulus", error);
    }

    [Fact]
    public void ValuesThatCannotBeJournaledAreRefusedWhenEncoding()
    {
        var w = Withdrawal(1, 1, 1, signer: 1);
        Assert.Contains("recipient", Assert.Throws<ArgumentException>(() => NodeCommandCodec.Encode(w with { Recipient = System.Numerics.BigInteger.One << 160 })).Message);
        Assert.Contains("S does not fit", Assert.Throws<ArgumentException>(() =>
            NodeCommandCodec.Encode(w with { Signature = w.Signature with { S = System.Numerics.BigInteger.One << 256 } })).Message);
        Assert.Contains("R8", Assert.Throws<ArgumentException>(() =>
            NodeCommandCodec.Encode(w with { Signature = w.Signature with { R8 = new BabyJubjubPoint(Fr.One, Fr.One) } })).Message);
    }
}
