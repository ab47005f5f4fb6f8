using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Exchange;
using Validium.Node.Exchange;

namespace Validium.Node.Tests;

/// <summary>
/// Oracle rounds of a circuit with an option (CIRCUIT.md, "Options"): the node applies the perpetual's index and the
/// option's mark from the round, refuses a round whose spot slot is not the engine's index for the option, and hands
/// the expiry settlements of the round at the expiry to the batcher.
/// </summary>
public class OptionRoundTests
{
    private const long Usd = 1_000_000, Milli = 100_000;

    private static readonly InstrumentSpec Btc = new()
    {
        Kind = InstrumentKind.Perpetual, Underlying = 0, TickSize = Usd / 2, LotSize = Milli, QuantityDecimals = 8,
        MinQuantity = Milli, MaxQuantity = 1000 * Milli, MaxPrice = 200_000 * Usd, MaxPosition = 10_000 * Milli,
        MakerFeePpm = -100, TakerFeePpm = 500, InitialMarginPpm = 100_000, MaintenanceMarginPpm = 50_000, BandPpm = 100_000,
        PremiumCapPpm = 5_000, FundingCapPpm = 750,
    };

    private static readonly InstrumentSpec Call = Btc with
    {
        Kind = InstrumentKind.Call, Strike = 50_000 * Usd, Expiry = 2_000_000, MaxPrice = 100_000 * Usd, InitialMarginPpm = 150_000,
        MaintenanceMarginPpm = 100_000, BandPpm = 1_000_000, PremiumCapPpm = 0, FundingCapPpm = 0,
    };

    private static readonly CircuitConfig Circuit = new()
    {
        AccountDepth = 3, PositionsDepth = 1, FillDepth = 4, FeeAccount = 0, Shape = new BatchShape(2, 1, 0, Expiries: 2),
        Instruments = [InstrumentParams.FromSpec(Btc), InstrumentParams.FromSpec(Call)],
    };

    private static Applied Apply(ExchangeJournalHandler h, long sequence, long time, NodeCommand c) => h.Apply(sequence, time, NodeCommandCodec.Encode(c));

    /// <summary>Per lot (cash per tick-lot 500): BTC at <paramref name="btc"/>, the call marked at <paramref name="call"/>, then the call's spot slot in ticks.</summary>
    private static OracleRoundCommitted Round(ulong round, ulong seconds, long btc, long call, ulong spotTicks) =>
        new(new OracleRound(round, seconds, [(ulong)(btc / (Usd / 2) * 500), (ulong)(call / (Usd / 2) * 500), spotTicks]));

    [Fact]
    public void Rounds_set_the_options_mark_check_its_spot_and_its_expiry_reaches_the_batcher()
    {
        var h = new ExchangeJournalHandler(new EngineConfig { MaxAccounts = 7 }, Circuit, null, new ViewBuilder(5, 5, 5));
        long seq = 0;
        Assert.True(Apply(h, ++seq, 1_000_000, new OperatorCommand(Command.List(1_000_000, Btc))).Ack.Accepted);
        Assert.True(Apply(h, ++seq, 1_000_000, new OperatorCommand(Command.List(1_000_000, Call))).Ack.Accepted);

        // The call's spot is the index in its ticks: 50,000 / 0.5 = 100,000; 99,999 is not what the engine will hold.
        var forged = Apply(h, ++seq, 1_000_000, Round(1, 1_000, 50_000 * Usd, 2_000 * Usd, 99_999));
        Assert.Equal((false, nameof(RejectCode.BadOraclePrice)), (forged.Ack.Accepted, forged.Ack.Code));
        Assert.Contains("spot slot is 99999, the engine's index for it is 100000", forged.Ack.Message);
        Assert.Equal(0, h.Engine.IndexPrice(1));

        Assert.True(Apply(h, ++seq, 1_000_000, Round(1, 1_000, 50_000 * Usd, 2_000 * Usd, 100_000)).Ack.Accepted);
        Assert.Equal((2_000 * Usd, 50_000 * Usd), (h.Engine.MarkPrice(1), h.Engine.IndexPrice(1)));

        foreach (int account in new[] { 1, 2 })
            Assert.True(Apply(h, ++seq, 1_000_000, new L1Deposit((ulong)account, Harness.PublicKey(account), (ulong)(100_000 * Usd), Harness.Address(account))).Ack.Accepted);
        foreach (var (account, side, type) in new[] { (1, Side.Sell, OrderType.Limit), (2, Side.Buy, OrderType.Ioc) })
        {
            var order = Command.Place(1_000_010, account, 1, 1, side, type, 2_000 * Usd, 10 * Milli, seq, 0);
            Assert.True(Apply(h, ++seq, 1_000_010, new SignedCommand(order, OrderSigning.Sign(order, Harness.PrivateKey(account)))).Ack.Accepted);
        }
        Assert.Equal(10 * Milli, h.Engine.Position(2, 1).Quantity);

        // The round at the expiry: index 53,000, so both holders are settled at 3,000 and the batcher gets the two settlements.
        var expiring = Apply(h, ++seq, 2_000_000, Round(2, 2_000, 53_000 * Usd, 3_000 * Usd, 106_000));
        Assert.True(expiring.Ack.Accepted, expiring.Ack.Message);
        Assert.True(h.Engine.IsExpired(1));
        Assert.Equal([(1UL, -30 * Usd), (2UL, 30 * Usd)], expiring.Expiries.Select(x => (x.Account, x.Payout)).OrderBy(x => x.Account));
        Assert.True(expiring.HasOperations);
    }
}
