using CsCheck;
using Validium.Crypto;

namespace Validium.Exchange.Tests;

/// <summary>The journal's command encoding: round trips, canonical form, a layout written out by hand, and bad bytes refused with a reason.</summary>
public class CommandCodecTests
{
    private static readonly CommandKind[] Kinds = Enum.GetValues<CommandKind>();

    /// <summary>A command of any kind with random values in the fields that kind carries (the others stay zero).</summary>
    private static readonly Gen<Command> Commands =
        Gen.Select(Gen.Int[0, Kinds.Length - 1], Gen.Long.Array[12], Gen.Int.Array[10], Gen.Byte.Array[4], Gen.Bool).Select((k, l, n, b, flag) =>
        {
            var kind = Kinds[k];
            var side = (Side)(b[0] % 2);
            var type = (OrderType)(b[1] % 5);
            var stp = (SelfTradePrevention)(b[2] % 3);
            return kind switch
            {
                CommandKind.Place => Command.Place(l[0], n[0], l[1], n[1], side, type, l[2], l[3], l[4], l[5], flag, stp),
                CommandKind.Cancel => Command.Cancel(l[0], n[0], l[1], l[2]),
                CommandKind.Amend => Command.Amend(l[0], n[0], l[1], l[2], l[3], l[4], n[1], side, type, l[5], flag, stp),
                CommandKind.CancelAll => Command.CancelAll(l[0], n[0], l[1], n[1]),
                CommandKind.Deposit => flag
                    ? Command.Deposit(l[0], n[0], new BabyJubjubPoint(Fr.FromUInt64((ulong)l[1]), Fr.FromUInt64((ulong)l[2]) * Fr.FromUInt64((ulong)l[3])), l[4])
                    : new Command { Kind = CommandKind.Deposit, Time = l[0], Account = n[0], Amount = l[4] },
                CommandKind.Withdraw => Command.Withdraw(l[0], n[0], l[1]),
                CommandKind.OracleIndex => Command.OracleIndex(l[0], n[0], l[1]),
                CommandKind.OracleOption => Command.OracleOption(l[0], n[0], l[1], l[2], l[3]),
                CommandKind.Funding => Command.Funding(l[0], n[0]),
                CommandKind.OracleRound => Command.OracleRound(l[0],
                    [.. Enumerable.Range(0, b[0] % 4).Select(i => new IndexMark(n[i], l[1 + i]))],
                    [.. Enumerable.Range(0, b[1] % 4).Select(i => new OptionMark(n[4 + i], l[5 + i], l[8 - i], l[11 - i]))]),
                _ => Command.List(l[0], new InstrumentSpec
                {
                    Kind = (InstrumentKind)(b[3] % 3), Underlying = n[0], Strike = l[1], Expiry = l[2], TickSize = l[3], LotSize = l[4], MinQuantity = l[5],
                    MaxQuantity = l[6], MaxPrice = l[7], MaxPosition = l[8], QuantityDecimals = n[1], MakerFeePpm = n[2], TakerFeePpm = n[3],
                    InitialMarginPpm = n[4], MaintenanceMarginPpm = n[5], BandPpm = n[6], PremiumCapPpm = n[7], FundingCapPpm = n[8],
                }),
            };
        });

    [Fact]
    public void Every_command_round_trips_and_its_bytes_are_canonical()
    {
        Commands.Sample(c =>
        {
            var bytes = CommandCodec.Encode(c);
            Assert.Equal(CommandCodec.Length(c), bytes.Length);
            Assert.True(bytes.Length <= CommandCodec.MaxLength);
            Assert.True(CommandCodec.TryDecode(bytes, out var back, out var error), error);
            Assert.Equal(c, back);
            Assert.Equal(bytes, CommandCodec.Encode(back));
        }, iter: 5000);
    }

    [Fact]
    public void Random_and_damaged_bytes_give_a_reason_never_an_exception()
    {
        var damaged = Gen.Select(Commands, Gen.Int[0, 200], Gen.Byte, Gen.Int[0, 3]).Select((c, at, value, how) =>
        {
            var bytes = CommandCodec.Encode(c).ToList();
            int i = at % (bytes.Count + 1);
            switch (how)
            {
                case 0: if (i < bytes.Count) bytes[i] = value; break;
                case 1: bytes.RemoveRange(i, bytes.Count - i); break;
                case 2: bytes.Insert(i, value); break;
                default: bytes.RemoveAt(Math.Min(i, bytes.Count - 1)); break;
            }
            return bytes.ToArray();
        });
        Gen.OneOf(Gen.Byte.Array[0, 140], damaged).Sample(bytes =>
        {
            if (CommandCodec.TryDecode(bytes, out var c, out var error))
                Assert.Equal(bytes, CommandCodec.Encode(c)); // whatever decodes is the one encoding of what it decodes to
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(error));
                Assert.Equal(default, c);
                var ex = Assert.Throws<FormatException>(() => CommandCodec.Decode(bytes));
                Assert.Contains(error, ex.Message);
            }
        }, iter: 20000);
    }

    [Fact]
    public void Layout_matches_the_documented_one()
    {
        // Written out by hand from ORDERS.md: version, kind, time, account, nonce, client id.
        var cancel = Command.Cancel(0x0102030405060708, 5, 7, -2);
        Assert.Equal("01" + "02" + "0807060504030201" + "05000000" + "0700000000000000" + "FEFFFFFFFFFFFFFF", Convert.ToHexString(CommandCodec.Encode(cancel)));

        var place = Command.Place(1, 2, 3, 4, Side.Sell, OrderType.PostOnly, 500, 600, 7, 8, reduceOnly: false, SelfTradePrevention.CancelBoth);
        Assert.Equal("0101" + "0100000000000000" + "02000000" + "0300000000000000" + "04000000" + "01" + "04" + "02" + "00" +
            "F401000000000000" + "5802000000000000" + "0700000000000000" + "0800000000000000", Convert.ToHexString(CommandCodec.Encode(place)));

        var deposit = Command.Deposit(9, 1, new BabyJubjubPoint(Fr.FromUInt64(1), Fr.FromUInt64(0x0203)), 10);
        Assert.Equal("010A" + "0900000000000000" + "01000000" + "0A00000000000000" + "01" + new string('0', 62) + "01" + new string('0', 60) + "0203",
            Convert.ToHexString(CommandCodec.Encode(deposit)));
    }

    [Fact]
    public void A_round_has_the_documented_layout()
    {
        // Written out by hand from ORDERS.md: version, kind 23, time, index count, (underlying, price)..., option count, (instrument, mark, delta, gamma)...
        var round = Command.OracleRound(0x0102, [new(0, 5), new(3, -1)], [new(2, 7, -500_000, 40_000)]);
        Assert.Equal("0117" + "0201000000000000" + "02" + "00000000" + "0500000000000000" + "03000000" + "FFFFFFFFFFFFFFFF" +
            "0100" + "02000000" + "0700000000000000" + "E05EF8FFFFFFFFFF" + "409C000000000000", Convert.ToHexString(CommandCodec.Encode(round)));
        Assert.Equal(Command.OracleRound(9, [], []), CommandCodec.Decode(Convert.FromHexString("0117" + "0900000000000000" + "00" + "0000")));
        var seventeen = "0117" + "0900000000000000" + "11" + string.Concat(Enumerable.Repeat("00000000" + "0100000000000000", 17)) + "0000";
        Assert.False(CommandCodec.TryDecode(Convert.FromHexString(seventeen), out _, out var error));
        Assert.Equal("OracleRound: a round carries at most 16 indices, not 17", error);
    }

    [Theory]
    [InlineData("", "shorter than any command")]
    [InlineData("0117" + "0900000000000000", "OracleRound: 10 bytes end before its index or option count")]
    [InlineData("0117" + "0900000000000000" + "01" + "00000000" + "0500000000000000", "OracleRound: 23 bytes end before its index or option count")]
    [InlineData("0117" + "0900000000000000" + "00" + "0100", "OracleRound takes 41 bytes, got 13")]
    [InlineData("0117" + "0900000000000000" + "00" + "0000" + "00", "OracleRound takes 13 bytes, got 14")]
    [InlineData("0202080706050403020105000000070000000000000001", "unsupported command encoding version 2")]
    [InlineData("0163080706050403020105000000070000000000000001", "unknown command kind 99")]
    [InlineData("01020807060504030201050000000700000000000000", "Cancel takes 30 bytes, got 22")]
    [InlineData("010A" + "0900000000000000" + "01000000" + "0A00000000000000" + "02", "Deposit: key flag must be 0 or 1, got 2")]
    [InlineData("0103" + "0100000000000000" + "02000000" + "0300000000000000" + "0700000000000000" + "F401000000000000" + "5802000000000000",
        "an amend in the layout from before amends carried the whole order")]
    [InlineData("0101" + "0100000000000000" + "02000000" + "0300000000000000" + "04000000" + "01" + "09" + "02" + "00" +
        "F401000000000000" + "5802000000000000" + "0700000000000000" + "0800000000000000", "Place: order type 9 is not defined")]
    [InlineData("0101" + "0100000000000000" + "02000000" + "0300000000000000" + "04000000" + "01" + "04" + "02" + "05" +
        "F401000000000000" + "5802000000000000" + "0700000000000000" + "0800000000000000", "Place: reduce-only flag must be 0 or 1, got 5")]
    [InlineData("010A" + "0900000000000000" + "01000000" + "0A00000000000000" + "01" +
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF" + "0000000000000000000000000000000000000000000000000000000000000001",
        "Deposit: key coordinate is not below the field modulus")]
    public void Malformed_bytes_are_refused_with_what_is_wrong(string hex, string reason)
    {
        Assert.False(CommandCodec.TryDecode(Convert.FromHexString(hex), out _, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Commands_that_could_never_decode_are_not_encoded()
    {
        var bad = Command.Place(1, 2, 3, 4, (Side)7, OrderType.Limit, 500, 600, 7);
        Assert.Contains("side 7", Assert.Throws<ArgumentException>(() => CommandCodec.Encode(bad)).Message);
        Assert.Throws<ArgumentException>(() => CommandCodec.Encode(new Command { Kind = (CommandKind)99 }));
        Assert.Throws<ArgumentException>(() => CommandCodec.Encode(new Command { Kind = CommandKind.ListInstrument }));
        Assert.Contains("index and option marks", Assert.Throws<ArgumentException>(() => CommandCodec.Encode(new Command { Kind = CommandKind.OracleRound })).Message);
        var tooMany = Command.OracleRound(1, [.. Enumerable.Range(0, Limits.MaxUnderlyings + 1).Select(u => new IndexMark(u, 1))], []);
        Assert.Contains("at most 16 indices", Assert.Throws<ArgumentException>(() => CommandCodec.Encode(tooMany)).Message);
        Assert.Throws<ArgumentException>(() => CommandCodec.Encode(Command.Cancel(1, 2, 3, 4), new byte[10]));
    }
}
