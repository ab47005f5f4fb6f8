using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using static Validium.Circuits.Tests.Scenario;

namespace Validium.Circuits.Tests;

/// <summary>
/// An amended order trades at its new price: the amend signs the whole order (ORDERS.md, "Amend"), and the trade slot
/// proves the fill from the amend's signature (kind 3) instead of the place's, whose limit the new price may break.
/// </summary>
public class AmendTests
{
    private static (Scenario S, SignedOrder Placed) Resting()
    {
        var s = new Scenario(new BatchShape(4, 4, 0));
        s.Deposit(0, 1).Deposit(1, 100_000).Deposit(2, 100_000);
        var placed = s.Sign(1, BtcPerp, Side.Buy, 50_000 * Usd, 10 * Milli);
        Assert.True(s.Recorder.Place(placed.Order, placed.Signature).Accepted);
        return (s, placed);
    }

    private static Outcome Amend(Scenario s, SignedOrder placed, long price, long quantity)
    {
        s.Now += 10;
        var amend = Command.AmendOf(placed.Order, s.Now, s.Engine.Account(placed.Order.Account).Nonce + 1, price, quantity);
        return s.Recorder.Amend(amend, OrderSigning.Sign(amend, PrivateKey(placed.Order.Account)));
    }

    [Fact]
    public void A_fill_at_the_amended_price_is_proven_from_the_amend()
    {
        var (s, placed) = Resting();
        using var _ = s;
        // Across the place's limit, and more than was left of it: only the amend allows both.
        Assert.True(Amend(s, placed, 50_050 * Usd, 12 * Milli).Accepted);
        s.Place(2, BtcPerp, Side.Sell, 50_050 * Usd, 12 * Milli, OrderType.Ioc);
        Assert.Equal(1, s.Recorder.PendingTrades);

        using var batch = s.Build();
        Assert.Equal(Fr.One, batch.Assignment["trade[0].maker.amend"]);
        var solution = s.Prove(batch);
        Assert.True(solution.IsSatisfied, solution.Failure?.ToString());
        s.AssertStateMatchesEngine();
    }

    [Fact]
    public void A_fill_kept_in_priority_after_a_smaller_quantity_is_proven_from_the_amend()
    {
        var (s, placed) = Resting();
        using var _ = s;
        s.Place(2, BtcPerp, Side.Sell, 50_000 * Usd, 4 * Milli, OrderType.Ioc);
        Assert.True(Amend(s, placed, 50_000 * Usd, 3 * Milli).Accepted);
        s.Place(2, BtcPerp, Side.Sell, 50_000 * Usd, 3 * Milli, OrderType.Ioc);

        using var batch = s.Build();
        Assert.Equal(Fr.Zero, batch.Assignment["trade[0].maker.amend"]);
        Assert.Equal(Fr.One, batch.Assignment["trade[1].maker.amend"]);
        var solution = s.Prove(batch);
        Assert.True(solution.IsSatisfied, solution.Failure?.ToString());
        s.AssertStateMatchesEngine();
    }

    [Fact]
    public void An_amend_read_as_a_place_or_as_another_kind_is_refused()
    {
        var (s, placed) = Resting();
        using var _ = s;
        Assert.True(Amend(s, placed, 50_050 * Usd, 10 * Milli).Accepted);
        s.Place(2, BtcPerp, Side.Sell, 50_050 * Usd, 10 * Milli, OrderType.Ioc);
        using var batch = s.Build();

        // Kind 1 over the amend's fields is a message the trader never signed.
        Assert.Contains("signature", s.Unsatisfied(Tampered(batch, "trade[0].maker.amend", _ => Fr.Zero)));
        // Only kinds 1 and 3 are orders: a signed cancel (kind 2) or cancel-all (4) cannot pass for one.
        Assert.Contains("order hash", s.Unsatisfied(Tampered(batch, "trade[0].maker.amend", _ => Fr.FromUInt64(2))));
    }

    [Fact]
    public void An_amend_executed_without_its_signature_leaves_the_order_unprovable_by_name()
    {
        var (s, placed) = Resting();
        using var _ = s;
        var amend = Command.AmendOf(placed.Order, s.Now + 10, s.Engine.Account(1).Nonce + 1, 50_050 * Usd, 10 * Milli);
        Assert.True(s.Recorder.Execute(amend).Accepted);
        var error = Assert.Throws<InvalidOperationException>(() => s.Place(2, BtcPerp, Side.Sell, 50_050 * Usd, 10 * Milli, OrderType.Ioc));
        Assert.Contains("holds no signature", error.Message);
    }
}
