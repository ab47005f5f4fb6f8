using Validium.Crypto;
using Validium.Proving.Circuit;
using Validium.Proving.Gadgets;
using Validium.State;

namespace Validium.Circuits.Gadgets;

/// <summary>One account leaf as private inputs: key, nonce, collateral, every position, and its path in the account tree.</summary>
internal sealed class AccountVars
{
    public required Variable Ax, Ay, Nonce, Collateral;
    public required Variable[] Size, Notional, Funding;
    public required Variable[] Siblings;

    public static AccountVars Declare(Inputs inputs, CircuitConfig cfg) => new()
    {
        Ax = inputs["ax"],
        Ay = inputs["ay"],
        Nonce = inputs["nonce"],
        Collateral = inputs["collateral"],
        Size = inputs.Many("size", cfg.InstrumentCount),
        Notional = inputs.Many("notional", cfg.InstrumentCount),
        Funding = inputs.Many("funding", cfg.InstrumentCount),
        Siblings = inputs.Many("siblings", cfg.AccountDepth),
    };

    public PointVariable Key => new(Ax, Ay);
}

/// <summary>
/// Account leaves (STATE.md): Poseidon(Ax, Ay, nonce, collateral, positionsRoot), the positions subtree rebuilt from
/// all its leaves (so the margin rule sees every position), and the margin rule of MARGIN.md's simple form for
/// perpetuals at the batch's committed prices.
/// </summary>
internal static class AccountGadget
{
    /// <summary>0 for a flat position, else Poseidon(size, notional, funding): 3·2 + 2 + 264 + 1 constraints.</summary>
    public static Variable PositionLeaf(ICircuitApi api, Variable size, Variable notional, Variable funding)
    {
        using var scope = api.Scope("position leaf");
        var flat = api.Mul(api.Mul(api.IsZero(size), api.IsZero(notional)), api.IsZero(funding));
        var h = PoseidonGadget.Hash(api, size, notional, funding);
        return api.Mul(api.Sub(Fr.One, flat), h);
    }

    /// <summary>The positions subtree's root from all its leaves; slots past the instrument table are empty (constants, free).</summary>
    public static Variable PositionsRoot(ICircuitApi api, CircuitConfig cfg, Variable[] size, Variable[] notional, Variable[] funding)
    {
        var level = new Variable[1 << cfg.PositionsDepth];
        for (int j = 0; j < cfg.InstrumentCount; j++) level[j] = PositionLeaf(api, size[j], notional[j], funding[j]);
        for (int l = 0; l < cfg.PositionsDepth; l++)
        {
            using var scope = api.Scope($"positions/level {l}");
            var up = new Variable[level.Length / 2];
            for (int i = 0; i < up.Length; i++)
            {
                var (a, b) = (level[2 * i], level[2 * i + 1]);
                // A subtree of constants is an empty one: its hash is the known z_l, no constraints.
                up[i] = a.IsConstant && b.IsConstant ? ZeroHashes.At(l + 1) : PoseidonGadget.Hash(api, a, b);
            }
            level = up;
        }
        return level[0];
    }

    public static Variable Leaf(ICircuitApi api, Variable ax, Variable ay, Variable nonce, Variable collateral, Variable positionsRoot)
    {
        using var scope = api.Scope("account leaf");
        return PoseidonGadget.Hash(api, ax, ay, nonce, collateral, positionsRoot);
    }

    /// <summary>en ⇒ the leaf sits at the path's index under root.</summary>
    public static void AssertInTree(ICircuitApi api, Variable en, Variable root, Variable leaf, Variable[] siblings, Variable[] pathBits)
    {
        var computed = MerkleGadget.ComputeRoot(api, leaf, siblings, pathBits);
        using var scope = api.Scope("merkle/root");
        Arith.AssertEqualIf(api, en, computed, root);
    }

    /// <summary>The root with newLeaf in the proven leaf's place when en, else root unchanged.</summary>
    public static Variable Replace(ICircuitApi api, Variable en, Variable root, Variable newLeaf, Variable[] siblings, Variable[] pathBits)
    {
        var computed = MerkleGadget.ComputeRoot(api, newLeaf, siblings, pathBits);
        return en.IsConstant && en.ConstantValue.IsOne ? computed : api.Select(en, computed, root);
    }

    /// <summary>
    /// MARGIN.md's simple rule after a change, at the committed per-lot prices: 10^6·value ≥ Σ |size|·price·factor,
    /// value = collateral + Σ (size·price − notional), factor the maintenance or initial ppm. Scaling instead of dividing
    /// makes the requirement exact, never above the engine's rounded-up one. Per instrument 65 + 3, then 161.
    /// </summary>
    public static void AssertMargin(ICircuitApi api, CircuitConfig cfg, Variable[] prices, Variable collateral, Variable[] size, Variable[] notional, bool initial,
        OptionMargin? options = null)
    {
        using var scope = api.Scope(initial ? "margin (initial)" : "margin (maintenance)");
        // |value|·10^6 and the requirement stay below 2^155 (64-bit sizes, prices and collateral, ≤ 16 instruments), so a
        // shortfall wraps to above p − 2^156 and fails a 160-bit range check.
        api.AssertInRange(Surplus(api, cfg, prices, collateral, size, notional, initial, options), 160);
    }

    /// <summary>
    /// The same rule as a boolean, for operations that become no-ops instead of failing (L1 forced requests): the
    /// surplus lies in (−2^156, 2^156), so bit 157 of surplus + 2^157 is its sign. 159 constraints more than the sums.
    /// </summary>
    public static Variable MarginHolds(ICircuitApi api, CircuitConfig cfg, Variable[] prices, Variable collateral, Variable[] size, Variable[] notional, bool initial,
        OptionMargin? options = null)
    {
        using var scope = api.Scope(initial ? "margin holds (initial)" : "margin holds (maintenance)");
        var surplus = Surplus(api, cfg, prices, collateral, size, notional, initial, options);
        return api.ToBits(api.Add(surplus, BatchCircuit.Pow2(157)), 158)[157];
    }

    /// <summary>
    /// 10^6·value − requirement, all inputs 64-bit signed (each size's sign bit asserts its own range). An option's
    /// term is its per-lot long or short requirement (<see cref="OptionMargin"/>, CIRCUIT.md "Options") instead of
    /// price·factor; both stay below 2^64·10^6 per lot.
    /// </summary>
    private static Variable Surplus(ICircuitApi api, CircuitConfig cfg, Variable[] prices, Variable collateral, Variable[] size, Variable[] notional, bool initial,
        OptionMargin? options)
    {
        Variable value = collateral, requirement = default;
        for (int j = 0; j < cfg.InstrumentCount; j++)
        {
            var neg = Arith.SignBit(api, size[j]);
            value = api.Add(value, api.Sub(api.Mul(size[j], prices[j]), notional[j]));
            var factor = initial ? cfg.Instruments[j].InitialMarginPpm : cfg.Instruments[j].MaintenanceMarginPpm;
            if (cfg.Instruments[j].IsOption)
            {
                var risk = options ?? throw new InvalidOperationException("an option's margin needs the batch's option figures");
                requirement = api.Add(requirement, risk.Requirement(api, j, Arith.Abs(api, size[j], neg), neg, initial));
                continue;
            }
            requirement = api.Add(requirement, api.Mul(api.Mul(Arith.Abs(api, size[j], neg), prices[j]), Fr.FromUInt64((ulong)factor)));
        }
        return api.Sub(api.Mul(value, Fr.FromUInt64(1_000_000)), requirement);
    }
}
