using Validium.Circuits.Gadgets;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using Validium.Proving.Circuit;

namespace Validium.Circuits.Tests;

/// <summary>
/// The circuit's per-lot option figures (<see cref="OptionMargin"/>) against the engine's own: an account holding only
/// short or only long lots of the option has the engine's requirement of lots × the per-lot figure (Risk.cs), which
/// the circuit, solved on the engine's round, must reproduce exactly. The engine's one scenario is "no move" and every
/// mark is at least the intrinsic value, so its scenario charge is 0 and its margins are the simple rule's.
/// </summary>
public class OptionFigureTests
{
    private const long Usd = 1_000_000, Milli = 100_000, Lots = 7;

    /// <summary>Exposes the figures of instrument 1 as inputs the solver checks.</summary>
    private sealed class Figures(CircuitConfig config) : CircuitDefinition
    {
        public override void Define(ICircuitApi api)
        {
            var i = new Inputs(api, "");
            var prices = i.Many("price", config.PriceCount);
            var m = OptionMargin.Compute(api, config, prices[..config.InstrumentCount], prices[config.InstrumentCount..]);
            foreach (var (name, v) in new[] { ("longMm", m.LongMm[1]), ("shortMm", m.ShortMm[1]), ("longIm", m.LongIm[1]), ("shortIm", m.ShortIm[1]) })
                api.AssertEqual(v, i[name]);
        }
    }

    private static readonly InstrumentSpec Perp = new()
    {
        Kind = InstrumentKind.Perpetual, Underlying = 0, TickSize = Usd / 2, LotSize = Milli, QuantityDecimals = 8,
        MinQuantity = Milli, MaxQuantity = 1000 * Milli, MaxPrice = 200_000 * Usd, MaxPosition = 10_000 * Milli,
        MakerFeePpm = 0, TakerFeePpm = 0, InitialMarginPpm = 100_000, MaintenanceMarginPpm = 50_000, BandPpm = 100_000,
        PremiumCapPpm = 5_000, FundingCapPpm = 750,
    };

    [Theory]
    [InlineData(InstrumentKind.Call, 50_000, 50_000, 2_000)]   // at the money
    [InlineData(InstrumentKind.Call, 60_000, 50_000, 300)]     // far out of the money: half the spot rate wins for the short
    [InlineData(InstrumentKind.Put, 45_000, 50_000, 5_500)]    // in the money
    [InlineData(InstrumentKind.Put, 40_000, 50_000, 100)]      // a cheap long: its requirement is capped at the mark
    public void The_circuits_option_figures_are_the_engines(InstrumentKind kind, long strikeUsd, long indexUsd, long markUsd)
    {
        var option = Perp with
        {
            Kind = kind, Strike = strikeUsd * Usd, Expiry = 3_000_000, MaxPrice = 100_000 * Usd, InitialMarginPpm = 150_000,
            MaintenanceMarginPpm = 100_000, BandPpm = 1_000_000, PremiumCapPpm = 0, FundingCapPpm = 0,
        };
        var recorder = new ExchangeRecorder(new Engine(new EngineConfig { MaxAccounts = 4, OrderCapacity = 16, ScenarioShocksPpm = [0] }));
        long now = 1_000_000;
        Assert.True(recorder.Execute(Command.List(now, Perp)).Accepted);
        Assert.True(recorder.Execute(Command.List(now, option)).Accepted);
        Assert.True(recorder.Execute(Command.OracleIndex(now, 0, indexUsd * Usd)).Accepted);
        Assert.True(recorder.Execute(Command.OracleOption(now, 1, markUsd * Usd, 0, 0)).Accepted);
        foreach (int a in new[] { 1, 2 })
            Assert.True(recorder.Deposit(now, a, Scenario.KeyOf(a), 1_000_000 * Usd, Scenario.Address(a)).Accepted);
        foreach (var (a, side, type) in new[] { (1, Side.Sell, OrderType.Limit), (2, Side.Buy, OrderType.Ioc) })
        {
            var order = Command.Place(now += 10, a, 1, 1, side, type, markUsd * Usd, Lots * Milli, a, 0);
            Assert.True(recorder.Place(order, OrderSigning.Sign(order, Scenario.PrivateKey(a))).Accepted);
        }
        var (seller, buyer) = (recorder.Engine.Account(1), recorder.Engine.Account(2));
        Assert.Equal(-Lots * Milli, recorder.Engine.Position(1, 1).Quantity);

        var config = new CircuitConfig
        {
            AccountDepth = 2, PositionsDepth = 1, FillDepth = 2, FeeAccount = 0, Instruments = recorder.Instruments(), Shape = new BatchShape(0, 0, 0),
        };
        var values = new Dictionary<string, Fr>();
        var round = recorder.OracleRound(1, 1_000);
        for (int k = 0; k < round.Prices.Length; k++) values[$"price[{k}]"] = round.Prices[k];
        values["longMm"] = (ulong)(buyer.MaintenanceMargin / Lots);
        values["shortMm"] = (ulong)(seller.MaintenanceMargin / Lots);
        values["longIm"] = (ulong)(buyer.InitialMargin / Lots);
        values["shortIm"] = (ulong)(seller.InitialMargin / Lots);
        var circuit = new Figures(config);
        var solution = circuit.Solve(values);
        Assert.True(solution.IsSatisfied, solution.Failure?.ToString());
        // One micro-unit off in any figure is refused.
        values["shortIm"] = values["shortIm"] + Fr.One;
        Assert.False(circuit.Solve(values).IsSatisfied);
        // The builder's integer copy (Settlement.MeetsMargin's) agrees too.
        var (lng, sht) = OptionMargin.PerLotValues(config.Instruments[1], round.Prices[config.SpotSlot(1)], round.Prices[1], 150_000);
        Assert.Equal((buyer.InitialMargin / Lots, seller.InitialMargin / Lots), ((long)lng, (long)sht));
    }
}
