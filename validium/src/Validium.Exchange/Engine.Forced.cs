using System.Collections.Immutable;
using System.Numerics;
using Validium.Crypto;

namespace Validium.Exchange;

/// <summary>
/// An L1 forced request as the contract queued it (SPEC.md): a withdrawal of <see cref="Amount"/> from account
/// <see cref="AccountA"/> signed by <see cref="Key"/>, or a trade of <see cref="Size"/> lots of an instrument (A's side:
/// negative when A sells) between accounts A and B at <see cref="PricePerLot"/> collateral micro-units per lot, whose
/// keys hash to <see cref="KeysHash"/>. Account numbers are the contract's (any value below 2^accountDepth).
/// </summary>
public sealed record ForcedRequest
{
    public bool IsTrade { get; private init; }
    public ulong AccountA { get; private init; }
    public ulong AccountB { get; private init; }
    public BabyJubjubPoint Key { get; private init; }
    public Fr KeysHash { get; private init; }
    public uint Instrument { get; private init; }
    public long Size { get; private init; }
    public ulong Amount { get; private init; }
    public ulong PricePerLot { get; private init; }

    public static ForcedRequest Withdrawal(ulong account, BabyJubjubPoint key, ulong amount) =>
        new() { AccountA = account, Key = key, Amount = amount };

    public static ForcedRequest Trade(ulong accountA, ulong accountB, uint instrument, long size, ulong pricePerLot, Fr keysHash) =>
        new() { IsTrade = true, AccountA = accountA, AccountB = accountB, Instrument = instrument, Size = size, PricePerLot = pricePerLot, KeysHash = keysHash };
}

/// <summary>
/// L1 forced requests. The batch circuit decides them from its state alone (CIRCUIT.md, "Forced-request slots"): the
/// engine applies exactly that rule, not its own risk model, so its state stays the batch's. The rule: the key(s) must
/// be the account(s)' (a trade's: Poseidon(keyA, keyB) = the queued hash), a trade's instrument must be listed and
/// both new sizes must fit 64 bits; then per account, after the fill at the stated price (no fees) and the withdrawal's
/// debit, the kept notional and the collateral must fit 64 bits and the simple initial margin rule
/// 10^6·(collateral + Σ size·price − notional) ≥ Σ |size|·price·initialPpm must hold at the batch's oracle prices
/// per lot, an option's term being |size| × its simple initial requirement per lot (long or short, MARGIN.md). A forced
/// trade of an option needs it live at the round (expiry after 1000 × the round's timestamp, the circuit's rule). A
/// refused request changes nothing; either way it is consumed and reported by an event.
/// </summary>
public sealed partial class Engine
{
    /// <summary>
    /// Applies a forced request decided at <paramref name="pricesPerLot"/> (the oracle round the batch is proven
    /// against, one price per listed instrument), whose timestamp in seconds is <paramref name="roundSeconds"/> (an
    /// option trades until 1000 × it reaches the option's expiry). <paramref name="feeAccount"/>'s collateral in the batch state also
    /// holds the engine's <see cref="FeePool"/> (the circuit credits fees to it), so its decision counts the pool.
    /// Accepted means executed; a refusal's code says why. Accounts left without free collateral for their open
    /// orders lose them, so no resting order can later fill beyond what the batch's margin checks allow.
    /// </summary>
    public Outcome ExecuteForced(long time, ForcedRequest request, ulong roundSeconds, ImmutableArray<ulong> pricesPerLot, int feeAccount = -1)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (pricesPerLot.IsDefault || pricesPerLot.Length != markets.Count)
            throw new ArgumentException($"{(pricesPerLot.IsDefault ? 0 : pricesPerLot.Length)} prices for {markets.Count} listed instruments", nameof(pricesPerLot));
        if (time > Time) Time = time;
        var code = request.IsTrade ? ForcedTrade(request, roundSeconds, pricesPerLot, feeAccount) : ForcedWithdrawal(request, pricesPerLot, feeAccount);

        ref var e = ref Emit(request.IsTrade ? EventKind.ForcedTrade : EventKind.ForcedWithdrawal);
        e.Account = AccountNumber(request.AccountA);
        e.Reason = (byte)code;
        if (request.IsTrade)
        {
            e.Counterparty = AccountNumber(request.AccountB);
            e.Instrument = request.Instrument > int.MaxValue ? -1 : (int)request.Instrument;
            e.Side = request.Size < 0 ? Side.Sell : Side.Buy;
            e.Quantity = request.Size == long.MinValue ? long.MaxValue : Math.Abs(request.Size);
            e.Price = unchecked((long)request.PricePerLot);
        }
        else e.Amount = unchecked((long)request.Amount);
        return new Outcome(code);
    }

    private static int AccountNumber(ulong id) => id > int.MaxValue ? -1 : (int)id;

    private Account? ForcedAccount(ulong id) => id > int.MaxValue ? null : AccountOrNull((int)id);

    private RejectCode ForcedWithdrawal(ForcedRequest r, ImmutableArray<ulong> prices, int feeAccount)
    {
        var a = ForcedAccount(r.AccountA);
        if (a is null) return RejectCode.UnknownAccount;
        if (a.Key != r.Key) return RejectCode.KeyMismatch;
        if (r.Amount is 0) return RejectCode.BadAmount;
        var after = BatchCollateral(a, feeAccount) - r.Amount;
        if (!FitsLong(after)) return RejectCode.InsufficientCollateral;
        if (!MeetsInitial(a, after, -1, 0, 0, prices)) return RejectCode.InsufficientMargin;

        a.Collateral -= (long)r.Amount;
        TotalWithdrawals += (long)r.Amount;
        MarkDirty(a);
        FreeOrUnwind(a);
        return RejectCode.None;
    }

    private RejectCode ForcedTrade(ForcedRequest r, ulong roundSeconds, ImmutableArray<ulong> prices, int feeAccount)
    {
        var a = ForcedAccount(r.AccountA);
        var b = ForcedAccount(r.AccountB);
        if (a is null || b is null || a == b) return RejectCode.UnknownAccount;
        if (Poseidon.Hash([a.Key.X, a.Key.Y, b.Key.X, b.Key.Y]) != r.KeysHash) return RejectCode.KeyMismatch;
        if (r.Size == 0 || r.PricePerLot == 0) return RejectCode.BadAmount;
        if (r.Instrument >= (uint)markets.Count) return RejectCode.UnknownInstrument;
        var m = markets[(int)r.Instrument];
        // The circuit's rule is the round's time alone; an option the engine already settled is refused too, and should
        // the two ever disagree, the batcher's comparison of decisions stops rather than prove a state the engine lacks.
        if (m.Spec.IsOption && (m.Expired || (BigInteger)m.Spec.Expiry <= (BigInteger)roundSeconds * 1000)) return RejectCode.InstrumentExpired;
        var fromA = a.Exp(m.Id).Lots;
        var fromB = b.Exp(m.Id).Lots;
        if (!FitsLong((BigInteger)fromA + r.Size) || !FitsLong((BigInteger)fromB - r.Size)) return RejectCode.PositionLimit;

        var fillA = WideFill(fromA, a.Exp(m.Id).Cost, r.Size, r.PricePerLot);
        var fillB = WideFill(fromB, b.Exp(m.Id).Cost, -(BigInteger)r.Size, r.PricePerLot);
        var collateralA = BatchCollateral(a, feeAccount) - fillA.Realised;
        var collateralB = BatchCollateral(b, feeAccount) - fillB.Realised;
        if (!FitsLong(fillA.Keep) || !FitsLong(collateralA) || !MeetsInitial(a, collateralA, m.Id, (long)fillA.To, (long)fillA.Keep, prices))
            return RejectCode.InsufficientMargin;
        if (!FitsLong(fillB.Keep) || !FitsLong(collateralB) || !MeetsInitial(b, collateralB, m.Id, (long)fillB.To, (long)fillB.Keep, prices))
            return RejectCode.InsufficientMargin;

        BookForcedFill(a, m, fillA);
        BookForcedFill(b, m, fillB);
        FreeOrUnwind(a);
        FreeOrUnwind(b);
        return RejectCode.None;
    }

    /// <summary>The account's collateral as the batch state holds it: the fee account's also holds the fee pool.</summary>
    private BigInteger BatchCollateral(Account a, int feeAccount) => (BigInteger)a.Collateral + (a.Id == feeAccount ? FeePool : 0);

    private static bool FitsLong(BigInteger v) => v >= long.MinValue && v <= long.MaxValue;

    private readonly record struct WideFillResult(BigInteger To, BigInteger Keep, BigInteger Realised);

    /// <summary><see cref="ApplyFill"/>'s arithmetic on unbounded integers, so a request whose values leave 64 bits is refused, not wrapped.</summary>
    private static WideFillResult WideFill(long from, long cost, BigInteger d, ulong pricePerLot)
    {
        var costNew = cost + d * pricePerLot;
        var to = from + d;
        BigInteger keep;
        if (from == 0 || (from > 0) == (d.Sign > 0)) keep = costNew;
        else if (to.IsZero) keep = 0;
        else if ((to.Sign > 0) == (from > 0)) keep = BigInteger.Divide(cost * to, from);
        else keep = to * pricePerLot;
        return new WideFillResult(to, keep, costNew - keep);
    }

    /// <summary>The simple initial margin rule on the account with one position (or none when instrument &lt; 0) replaced, exact.</summary>
    private bool MeetsInitial(Account a, BigInteger collateral, int instrument, long size, long notional, ImmutableArray<ulong> prices)
    {
        BigInteger value = collateral, requirement = 0;
        for (int i = 0; i < markets.Count; i++)
        {
            var x = i < a.Exposures.Length ? a.Exposures[i] : default;
            long lots = i == instrument ? size : x.Lots, cost = i == instrument ? notional : x.Cost;
            value += (BigInteger)lots * prices[i] - cost;
            var m = markets[i];
            // An option's simple per-lot figures are the circuit's: the short one from the spot (IndexTicks, the round's
            // spot slot), the long one min(price per lot, ceil(spot × initial) × cpl) at the round's price.
            requirement += !m.Spec.IsOption ? BigInteger.Abs(lots) * prices[i] * m.Spec.InitialMarginPpm
                : lots < 0 ? -(BigInteger)lots * m.ImShort * Ppm
                : lots * BigInteger.Min(prices[i], (BigInteger)CeilDiv((Int128)m.IndexTicks * m.Spec.InitialMarginPpm, Ppm) * m.Cpl) * Ppm;
        }
        return value * Ppm >= requirement;
    }

    private void BookForcedFill(Account a, Market m, WideFillResult fill)
    {
        ref var x = ref a.Exp(m.Id);
        long from = x.Lots, to = (long)fill.To, keep = (long)fill.Keep;
        a.Collateral = (long)((BigInteger)a.Collateral - fill.Realised);
        a.CostSum += keep - x.Cost;
        x.Cost = keep;
        x.Lots = to;
        if (from == 0) x.FundingIndex = m.FundingIndex;
        ApplyPositionRisk(a, m, from, to);
        Join(a, m.Spec.Underlying);
        MarkDirty(a);
    }

    private void FreeOrUnwind(Account a)
    {
        if (a.OrderCount > 0 && a.FreeCollateral < 0) CancelAccountOrders(a, -1, CancelReason.ForcedRequest);
    }
}
