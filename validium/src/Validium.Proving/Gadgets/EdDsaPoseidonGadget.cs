using Validium.Crypto;
using Validium.Proving.Circuit;

namespace Validium.Proving.Gadgets;

/// <summary>
/// circomlib's EdDSAPoseidonVerifier, always enabled: 0 ≤ S &lt; l through S's bits, A and R8 on the curve,
/// 8·A not the identity (its x ≠ 0: circomlib's small-order key check), H = Poseidon(R8x, R8y, Ax, Ay, M) in its
/// 254 strict bits, and S·B8 = R8 + H·(8·A), the same rule as <see cref="EdDsaPoseidon.Verify"/> (which
/// does not reject small-order keys). R8 and A may carry a small-order component, as there.
/// </summary>
public static class EdDsaPoseidonGadget
{
    private static readonly Fr MaxS = Fr.FromBigInteger(BabyJubjub.SubgroupOrder - 1);

    public static void Verify(ICircuitApi api, PointVariable publicKey, PointVariable r8, Variable s, Variable message)
    {
        Variable[] sBits;
        using (api.Scope("eddsa/s below l"))
        {
            sBits = api.ToBits(s, 251);
            api.AssertBitsLessOrEqual(sBits, MaxS);
        }
        using (api.Scope("eddsa/on curve"))
        {
            BabyJubjubGadget.AssertOnCurve(api, publicKey);
            BabyJubjubGadget.AssertOnCurve(api, r8);
        }
        var h = PoseidonGadget.Hash(api, r8.X, r8.Y, publicKey.X, publicKey.Y, message);
        PointVariable right;
        using (api.Scope("eddsa/right"))
        {
            var hBits = api.ToBits(h, 254);
            // 8·A is in the prime-order subgroup, as Multiply needs, and Multiply's inversion of its x rejects small-order keys.
            var a8 = BabyJubjubGadget.Double(api, BabyJubjubGadget.Double(api, BabyJubjubGadget.Double(api, publicKey)));
            right = BabyJubjubGadget.Add(api, r8, BabyJubjubGadget.Multiply(api, hBits, a8));
        }
        using (api.Scope("eddsa/left"))
        {
            var left = BabyJubjubGadget.MultiplyFixed(api, sBits, BabyJubjub.Base8);
            api.AssertEqual(left.X, right.X);
            api.AssertEqual(left.Y, right.Y);
        }
    }
}
