using Validium.Exchange;
using static Validium.Circuits.Tests.Scenario;

namespace Validium.Circuits.Tests;

/// <summary>The recorder holds a signed order only while it can still trade, and the trades it records stay provable.</summary>
public class RecorderTests
{
    [Fact]
    public void OrdersThatTradedFullyOrLeftTheBookAreNoLongerHeld()
    {
        using var s = new Scenario(new BatchShape(4, 4, 0));
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 100_000).Deposit(3, 100_000);
        s.Place(1, BtcPerp, Side.Sell, 50_000 * Usd, 20 * Milli);
        s.Place(3, BtcPerp, Side.Sell, 50_100 * Usd, 10 * Milli);
        Assert.Equal(2, s.Recorder.OpenOrders);

        // The taker fills whole; the maker keeps 5 of its 20.
        s.Place(2, BtcPerp, Side.Buy, 50_010 * Usd, 15 * Milli, OrderType.Ioc);
        Assert.Equal(2, s.Recorder.OpenOrders);
        // The maker's last 5 fill; the taker's other 5 leave the book unfilled.
        s.Place(2, BtcPerp, Side.Buy, 50_010 * Usd, 10 * Milli, OrderType.Ioc);
        Assert.Equal(1, s.Recorder.OpenOrders);
        Assert.True(s.Recorder.Execute(Command.CancelAll(s.Now, 3, s.Engine.Account(3).Nonce + 1)).Accepted);
        Assert.Equal(0, s.Recorder.OpenOrders);

        Assert.Equal(2, s.Recorder.PendingTrades);
        using var batch = s.Build();
        var solution = s.Prove(batch);
        Assert.True(solution.IsSatisfied, solution.Failure?.ToString());
    }
}
