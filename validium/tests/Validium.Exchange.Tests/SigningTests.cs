using System.Numerics;
using System.Text.Json;
using Validium.Crypto;
using Validium.Proving.Tests;
using static Validium.Exchange.Tests.Fixture;

namespace Validium.Exchange.Tests;

/// <summary>Orders signed by circomlibjs (an independent implementation, per ORDERS.md) are accepted; tampered ones are not.</summary>
public class SigningTests
{
    private const string Script = "validium/tests/Validium.Exchange.Tests/sign-order.mjs";

    private static (BabyJubjubPoint Key, Fr Hash, EdDsaSignature Sig) SignWithCircomlibjs(int account, in Command c)
    {
        var root = NodeTool.RequireNode("circomlibjs");
        Span<Fr> fields = stackalloc Fr[OrderSigning.FieldCount];
        var args = new List<string> { Script, Convert.ToHexString(PrivateKey(account)).ToLowerInvariant() };
        args.AddRange(new long[] { (long)c.Kind, c.Account, c.Nonce, c.Instrument, (long)c.Side, (long)c.Type, c.Price, c.Quantity, c.ClientId,
            (c.ReduceOnly ? 1L : 0L) + ((long)c.Stp << 1), c.ExpiresAt }.Select(v => v.ToString()));
        var (code, output, err) = NodeTool.Run(root, TimeSpan.FromMinutes(1), [.. args]);
        Assert.True(code == 0, err);
        var j = JsonDocument.Parse(output).RootElement;
        Fr F(string name) => Fr.Parse(j.GetProperty(name).GetString()!);
        return (new BabyJubjubPoint(F("ax"), F("ay")), F("hash"),
            new EdDsaSignature(new BabyJubjubPoint(F("r8x"), F("r8y")), BigInteger.Parse(j.GetProperty("s").GetString()!)));
    }

    [SkippableFact]
    public void Circomlibjs_signed_order_is_accepted_and_tampering_is_rejected()
    {
        var f = new Fixture();
        f.Fund(7, 100_000);
        var order = Command.Place(f.Now, 7, nonce: 5, Perp, Side.Buy, OrderType.Limit, 49_000 * Usd, 3 * Milli, clientId: -12345,
            expiresAt: f.Now + 60_000, stp: SelfTradePrevention.CancelBoth);
        var (key, hash, sig) = SignWithCircomlibjs(7, order);
        Assert.True(f.Engine.TryGetAccountKey(7, out var registered));
        Assert.Equal(registered, key);
        Assert.Equal(hash, OrderSigning.Hash(order));

        var tampered = order;
        tampered.Price += PerpSpec.TickSize;
        Assert.Equal(RejectCode.BadSignature, f.Engine.ExecuteSigned(tampered, sig).Code);
        var other = order;
        other.Account = 8;
        f.Fund(8, 100_000);
        Assert.Equal(RejectCode.BadSignature, f.Engine.ExecuteSigned(other, sig).Code);
        var badS = sig with { S = sig.S + 1 };
        Assert.Equal(RejectCode.BadSignature, f.Engine.ExecuteSigned(order, badS).Code);

        Assert.True(f.Engine.ExecuteSigned(order, sig).Accepted);
        Assert.True(f.Engine.TryGetOrder(7, -12345, out var o));
        Assert.Equal(49_000 * Usd, o.Price);
        // The same signed order again is a replay: its nonce is used up.
        Assert.Equal(RejectCode.BadNonce, f.Engine.ExecuteSigned(order, sig).Code);

        // An amend a wallet signs over the whole order (kind 3, the order's fields, new price and remaining quantity).
        var amend = Command.AmendOf(order, f.Now, 6, 48_500 * Usd, 2 * Milli);
        var (_, amendHash, amendSig) = SignWithCircomlibjs(7, amend);
        Assert.Equal(amendHash, OrderSigning.Hash(amend));
        Assert.Equal(RejectCode.BadSignature, f.Engine.ExecuteSigned(amend with { Price = 48_400 * Usd }, amendSig).Code);
        Assert.True(f.Engine.ExecuteSigned(amend, amendSig).Accepted);
        Assert.True(f.Engine.TryGetOrder(7, -12345, out o));
        Assert.Equal((48_500 * Usd, 2 * Milli), (o.Price, o.Quantity));
    }

    /// <summary>
    /// A key of order 2 admits the forgery R8 = S·B8 for any S, which plain EdDSA-Poseidon verification (circomlibjs's
    /// rule) accepts; the batch circuit refuses such keys, so the exchange must too.
    /// </summary>
    [Fact]
    public void Small_order_keys_sign_nothing_even_where_plain_verification_would_accept()
    {
        var key = new BabyJubjubPoint(Fr.Zero, -Fr.One);
        var order = Command.Place(1_000, 7, nonce: 9, Perp, Side.Sell, OrderType.PostOnly, 51_000 * Usd, 2 * Milli, clientId: 77);
        var forged = new EdDsaSignature(BabyJubjub.MultiplyBase8(5), 5);
        Assert.True(EdDsaPoseidon.Verify(OrderSigning.Hash(order), forged, key), "the forgery passes the plain rule");
        Assert.True(BabyJubjub.IsSmallOrder(key));
        Assert.False(OrderSigning.Verify(order, forged, key));
        var valid = new bool[1];
        OrderSigning.VerifyBatch([(order, forged, key)], valid);
        Assert.False(valid[0]);
        Assert.False(BabyJubjub.IsSmallOrder(BabyJubjub.Base8));
    }

    [SkippableFact]
    public void Circomlibjs_signed_order_passes_the_batch_check_and_its_tampered_copies_do_not()
    {
        var order = Command.Place(1_000, 7, nonce: 9, Perp, Side.Sell, OrderType.PostOnly, 51_000 * Usd, 2 * Milli, clientId: 77);
        var (key, _, sig) = SignWithCircomlibjs(7, order);
        var tampered = order;
        tampered.Quantity += 1;
        var valid = new bool[3];
        OrderSigning.VerifyBatch([(order, sig, key), (tampered, sig, key), (order, sig with { S = sig.S + BabyJubjub.SubgroupOrder }, key)], valid);
        Assert.Equal([true, false, false], valid);
    }

    [Fact]
    public void Batch_check_reports_exactly_the_bad_orders_and_agrees_with_single_checks()
    {
        var key = EdDsaPoseidon.PrivateToPublic(PrivateKey(4));
        var otherKey = EdDsaPoseidon.PrivateToPublic(PrivateKey(5));
        // 19 orders: more than two lanes of eight, with a partial last group.
        var orders = Enumerable.Range(1, 19).Select(i =>
        {
            var c = Command.Place(1_000 + i, 4, i, Perp, i % 2 == 0 ? Side.Buy : Side.Sell, OrderType.Limit, (49_000 + i) * Usd, Milli, i);
            return (Command: c, Signature: OrderSigning.Sign(c, PrivateKey(4)), Key: key);
        }).ToArray();
        orders[2].Command.Price += 1;
        orders[7].Key = otherKey;
        orders[8].Signature = orders[8].Signature with { S = orders[8].Signature.S + 1 };
        orders[15].Signature = orders[15].Signature with { R8 = orders[14].Signature.R8 };
        orders[18].Command.Kind = CommandKind.Deposit;

        var valid = new bool[orders.Length];
        OrderSigning.VerifyBatch(orders, valid);
        Assert.Equal([2, 7, 8, 15, 18], Enumerable.Range(0, orders.Length).Where(i => !valid[i]));
        Assert.Equal(orders.Select(o => OrderSigning.Verify(o.Command, o.Signature, o.Key)), valid);
        Assert.Throws<ArgumentException>(() => OrderSigning.VerifyBatch(orders, new bool[orders.Length - 1]));
    }

    [SkippableFact]
    public void Expired_signed_order_is_rejected_even_with_a_good_signature()
    {
        var f = new Fixture();
        f.Fund(7, 100_000);
        var order = Command.Place(f.Now + 500, 7, 1, Perp, Side.Sell, OrderType.Ioc, 51_000 * Usd, Milli, 1, expiresAt: f.Now + 100);
        var (_, _, sig) = SignWithCircomlibjs(7, order);
        Assert.Equal(RejectCode.Expired, f.Engine.ExecuteSigned(order, sig).Code);
    }

    [Fact]
    public void Verification_is_a_separate_step_that_runs_on_other_threads()
    {
        var f = new Fixture();
        f.Fund(3, 100_000);
        var commands = Enumerable.Range(1, 8).Select(i =>
            Command.Place(f.Now, 3, i, Perp, Side.Buy, OrderType.Limit, (49_000 + i) * Usd, Milli, i)).ToArray();
        var sigs = commands.Select(c => OrderSigning.Sign(c, PrivateKey(3))).ToArray();
        Assert.True(f.Engine.TryGetAccountKey(3, out var key));
        var verified = new bool[commands.Length];
        Parallel.For(0, commands.Length, i => verified[i] = OrderSigning.Verify(commands[i], sigs[i], key));
        Assert.All(verified, Assert.True);
        foreach (var c in commands) Assert.True(f.Engine.Execute(c).Accepted);
        Assert.False(OrderSigning.Verify(Command.Deposit(0, 3, key, 1), sigs[0], key));
    }
}
