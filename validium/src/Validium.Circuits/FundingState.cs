using System.Collections.Immutable;
using System.Numerics;
using Validium.Crypto;
using Validium.State;

namespace Validium.Circuits;

/// <summary>
/// The exchange's funding state per instrument (CIRCUIT.md, "Funding"): the cumulative index G (collateral micro-units
/// per lot, the engine's Market.FundingIndex) and the oracle timestamp (seconds) of the instrument's last tick, 0 before
/// the first. It lives in the account tree's reserved leaf beside the order-fill root and the open interest.
/// </summary>
public sealed record FundingState(ImmutableArray<long> Index, ImmutableArray<ulong> LastTick)
{
    public static FundingState Zero(int instruments) => new([.. new long[instruments]], [.. new ulong[instruments]]);

    public int Count => Index.Length;

    public bool IsZero => Index.All(g => g == 0) && LastTick.All(t => t == 0);

    /// <summary>
    /// The words the reserved leaf commits to: per instrument the last tick, the index (signed) and the open interest
    /// (lots held long, <see cref="OpenInterest"/>); in a circuit with expiry slots then each option's short interest
    /// and the last batch's round timestamp (<paramref name="expiry"/>).
    /// </summary>
    public Fr[] Words(IReadOnlyList<BigInteger> openInterest, ExpiryFigures? expiry = null)
    {
        if (openInterest.Count != Count) throw new ArgumentException($"the open interest has {openInterest.Count} figures for {Count} instruments");
        var words = new List<Fr>(3 * Count);
        for (int i = 0; i < Count; i++)
        {
            words.Add(LastTick[i]);
            words.Add(FieldEncoding.Signed(Index[i]));
            words.Add(Fr.FromBigInteger(openInterest[i]));
        }
        if (expiry is not null)
        {
            words.AddRange(expiry.ShortInterest.Select(Fr.FromBigInteger));
            words.Add(expiry.LastRound);
        }
        return [.. words];
    }

    public Fr Digest(IReadOnlyList<BigInteger> openInterest, ExpiryFigures? expiry = null) => PoseidonSponge.Commit(Words(openInterest, expiry));

    public string? Validate(int instruments) =>
        Index.IsDefault || LastTick.IsDefault || Index.Length != instruments || LastTick.Length != instruments
            ? $"the funding state must have an index and a last tick for each of the {instruments} instruments"
            : null;

    /// <summary>Per instrument Σ max(size, 0) over the accounts: the lots held long, which equal the lots held short.</summary>
    public static BigInteger[] OpenInterest(IEnumerable<IReadOnlyList<long>> sizes, int instruments)
    {
        var oi = new BigInteger[instruments];
        foreach (var account in sizes)
            for (int j = 0; j < instruments; j++)
                if (account[j] > 0) oi[j] += account[j];
        return oi;
    }

    /// <summary>Per option (instrument numbers <paramref name="options"/>, in table order) Σ max(−size, 0) over the accounts: the lots held short.</summary>
    public static BigInteger[] ShortInterest(IEnumerable<IReadOnlyList<long>> sizes, IReadOnlyList<int> options)
    {
        var si = new BigInteger[options.Count];
        foreach (var account in sizes)
            for (int k = 0; k < options.Count; k++)
                if (account[options[k]] < 0) si[k] -= account[options[k]];
        return si;
    }
}

/// <summary>
/// What the reserved leaf carries for the expiry slots (CIRCUIT.md, "Expiry slots"): per option of the table the lots
/// held short, and the round timestamp (seconds) of the last batch, 0 before the first.
/// </summary>
public sealed record ExpiryFigures(IReadOnlyList<BigInteger> ShortInterest, ulong LastRound)
{
    public bool IsZero => LastRound == 0 && ShortInterest.All(v => v.IsZero);
}
