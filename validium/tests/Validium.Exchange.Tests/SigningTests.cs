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
