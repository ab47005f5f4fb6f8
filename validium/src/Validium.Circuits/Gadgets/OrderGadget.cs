using System.Numerics;
using Validium.Crypto;
using Validium.Proving.Circuit;
using Validium.Proving.Gadgets;

namespace Validium.Circuits.Gadgets;

/// <summary>A signed place or amend (ORDERS.md) as private inputs, with its signature and its order-fill leaf.</summary>
internal sealed class OrderVars
{
    /// <summary>1 when the order is an amend (kind 3), 0 for a place (kind 1).</summary>
    public required Variable Amend;
    public required Variable Account, Nonce, Instrument, Side, Type, Price, Quantity, ClientId, Flags, ExpiresAt;
    public required Variable R8x, R8y, S;
    public required Variable Filled;
    public required Variable[] FillSiblings;

    public static OrderVars Declare(Inputs inputs, CircuitConfig cfg) => new()
    {
        Amend = inputs["amend"],
        Account = inputs["account"],
        Nonce = inputs["nonce"],
        Instrument = inputs["instrument"],
        Side = inputs["side"],
        Type = inputs["type"],
        Price = inputs["price"],
        Quantity = inputs["quantity"],
        ClientId = inputs["clientId"],
        Flags = inputs["flags"],
        ExpiresAt = inputs["expiresAt"],
        R8x = inputs["r8x"],
        R8y = inputs["r8y"],
        S = inputs["s"],
        Filled = inputs["filled"],
        FillSiblings = inputs.Many("fillSiblings", cfg.FillDepth),
    };
}

/// <summary>
/// What a trade needs of each order: the order hash the trader signed (kind 1 = place, or 3 = amend: an amend signs
/// the whole order as it rests with its new price and remaining quantity, ORDERS.md), the signature under the
/// account's key, the trade price within the order's limit, the order not expired at the oracle time, and the
/// cumulative fill kept in the order-fill tree never above the order's quantity.
/// </summary>
internal static class OrderGadget
{
    private static readonly Fr MaxU64 = Fr.FromBigInteger((BigInteger.One << 64) - 1);

    public static Variable Hash(ICircuitApi api, OrderVars o)
    {
        using var scope = api.Scope("order hash");
        // kind ∈ {1, 3}: a cancel (2) or cancel-all (4) the trader signed can never pass for an order.
        api.AssertBoolean(o.Amend);
        var kind = api.Add(api.Mul(o.Amend, Fr.FromUInt64((ulong)Exchange.CommandKind.Amend - (ulong)Exchange.CommandKind.Place)), Fr.FromUInt64((ulong)Exchange.CommandKind.Place));
        return PoseidonGadget.Hash(api, kind, o.Account, o.Nonce, o.Instrument, o.Side, o.Type, o.Price, o.Quantity, o.ClientId, o.Flags, o.ExpiresAt);
    }

    public static void VerifySignature(ICircuitApi api, OrderVars o, PointVariable key, Variable hash)
    {
        using var scope = api.Scope("signature");
        EdDsaPoseidonGadget.Verify(api, key, new PointVariable(o.R8x, o.R8y), o.S, hash);
    }

    /// <summary>
    /// A buy's limit bounds the trade price from above (a market buy, type 1, signs price 0 and has no limit); a
    /// sell's from below (a market sell's 0 bounds nothing). tradePrice must be below 2^64 already.
    /// </summary>
    public static void CheckLimit(ICircuitApi api, OrderVars o, Variable tradePrice)
    {
        using var scope = api.Scope("price limit");
        api.AssertBoolean(o.Side);
        api.AssertInRange(o.Price, 64);
        var market = api.IsZero(api.Sub(o.Type, Fr.FromUInt64((ulong)Exchange.OrderType.Market)));
        var limit = api.Select(market, MaxU64, o.Price);
        var low = api.Select(o.Side, o.Price, tradePrice);
        var high = api.Select(o.Side, tradePrice, limit);
        api.AssertLessOrEqual(low, high, 64);
    }

    /// <summary>expiresAt = 0 (no expiry) or expiresAt &gt; the oracle time in ms; the oracle's timestamp is in seconds, below 2^64.</summary>
    public static void CheckExpiry(ICircuitApi api, OrderVars o, Variable oracleSeconds)
    {
        using var scope = api.Scope("expiry");
        api.AssertInRange(o.ExpiresAt, 64);
        var none = api.IsZero(o.ExpiresAt);
        var after = api.IsLessOrEqual(api.Add(api.Mul(oracleSeconds, Fr.FromUInt64(1000)), Fr.One), o.ExpiresAt, 80);
        api.AssertProduct(api.Sub(Fr.One, none), api.Sub(Fr.One, after), Fr.Zero);
    }

    /// <summary>
    /// The order-fill tree (STATE.md): slot = the hash's low FillDepth bits (from its unique 254-bit spelling), leaf 0
    /// when nothing is filled, else Poseidon(hash, filled). Checks filled + quantity ≤ the order's quantity and
    /// returns the tree's root with the new cumulative fill (unchanged when en = 0).
    /// </summary>
    public static Variable Fill(ICircuitApi api, CircuitConfig cfg, Variable en, Variable root, OrderVars o, Variable hash, Variable quantity)
    {
        using var scope = api.Scope("fill tree");
        api.AssertInRange(o.Filled, 64);
        api.AssertInRange(o.Quantity, 64);
        var filled = api.Add(o.Filled, quantity);
        api.AssertLessOrEqual(filled, o.Quantity, 64);
        var slot = api.ToBits(hash, 254)[..cfg.FillDepth];
        var oldLeaf = api.Mul(api.Sub(Fr.One, api.IsZero(o.Filled)), PoseidonGadget.Hash(api, hash, o.Filled));
        AccountGadget.AssertInTree(api, en, root, oldLeaf, o.FillSiblings, slot);
        return AccountGadget.Replace(api, en, root, PoseidonGadget.Hash(api, hash, filled), o.FillSiblings, slot);
    }
}
