using Validium.Exchange;
using static Validium.Circuits.Tests.Scenario;

namespace Validium.Circuits.Tests;

/// <summary>
/// One circuit with both optional sections, expiry and funding slots, beside an option in the table: an option
/// expiry batch and a later funding batch are both satisfied and leave the engine's state.
/// </summary>
public class FundingWithOptionsTests
{
    private static void Satisfied(Scenario s)
    {
        using var batch = s.Build();
        var solution = s.Prove(batch);
        Assert.True(solution.IsSatisfied, solution.Failure?.ToString());
        s.AssertStateMatchesEngine();
    }

    [Fact]
    public void Expiry_and_funding_batches_of_one_circuit_are_satisfied_and_leave_the_engines_state()
    {
        using var s = new Scenario(new BatchShape(4, 3, 0, Funding: 4, Expiries: 2), options: true);
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 100_000).Deposit(3, 10_000);
        Satisfied(s);

        s.Place(1, BtcPerp, Side.Sell, 50_000 * Usd, 30 * Milli);
        s.Place(2, BtcPerp, Side.Buy, 50_000 * Usd, 20 * Milli, OrderType.Ioc);
        s.Place(3, BtcPerp, Side.Buy, 50_000 * Usd, 10 * Milli, OrderType.Ioc);
        s.Place(1, BtcCall, Side.Sell, 2_000 * Usd, 100 * Milli);
        s.Place(2, BtcCall, Side.Buy, 2_000 * Usd, 100 * Milli, OrderType.Ioc);
        Satisfied(s);

        s.Now = CallExpiryMs;
        Assert.True(s.Recorder.Execute(Command.OracleIndex(s.Now, BtcPerp, 53_000 * Usd)).Accepted);
        Assert.Equal(2, s.Recorder.PendingExpiries);
        Satisfied(s);
        Assert.All(new[] { 1UL, 2UL }, id => Assert.True(s.Builder.Mirror.Account(id)!.Positions[BtcCall].IsFlat));

        s.Place(1, BtcPerp, Side.Buy, 52_900 * Usd, Milli);
        s.Place(1, BtcPerp, Side.Sell, 53_300 * Usd, Milli);
        s.Now += FundingPeriodSeconds * 1000;
        Assert.True(s.Recorder.Execute(Command.OracleIndex(s.Now, BtcPerp, 53_000 * Usd)).Accepted);
        Assert.True(s.Recorder.Execute(Command.Funding(s.Now, BtcPerp)).Accepted);
        Assert.Equal(1, s.Recorder.PendingFundingTicks);
        Satisfied(s);
        Assert.NotEqual(0, s.Engine.FundingIndex(BtcPerp));
        Assert.Equal(s.Engine.FundingIndex(BtcPerp), s.Builder.Mirror.Funding!.Index[BtcPerp]);
    }
}
