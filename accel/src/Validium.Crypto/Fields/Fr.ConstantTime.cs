namespace Validium.Crypto;

public readonly partial struct Fr
{
    /// <summary>
    /// <paramref name="ifSet"/> where <paramref name="mask"/> is all ones, <paramref name="ifClear"/> where it is zero,
    /// by bit arithmetic, so table lookups indexed by secret scalar digits leave no branch or address trace.
    /// </summary>
    internal static Fr ConditionalSelect(ulong mask, Fr ifSet, Fr ifClear) => new(new Limbs4(
        (ifSet.m.L0 & mask) | (ifClear.m.L0 & ~mask),
        (ifSet.m.L1 & mask) | (ifClear.m.L1 & ~mask),
        (ifSet.m.L2 & mask) | (ifClear.m.L2 & ~mask),
        (ifSet.m.L3 & mask) | (ifClear.m.L3 & ~mask)));
}
