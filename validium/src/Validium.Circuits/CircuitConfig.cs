using System.Collections.Immutable;
using Validium.Exchange;
using Validium.State;

namespace Validium.Circuits;

/// <summary>
/// What the circuit knows of one instrument: the constants of <see cref="InstrumentSpec"/> it needs to turn signed
/// order fields (raw prices and quantities) into the state's units (lots, collateral micro-units) and to charge fees
/// and margin. An option also carries its kind, strike in ticks and expiry (ms, a whole second: CIRCUIT.md, "Options").
/// </summary>
public sealed record InstrumentParams(long TickSize, long LotSize, long CashPerTickLot, int MakerFeePpm, int TakerFeePpm, int InitialMarginPpm, int MaintenanceMarginPpm,
    InstrumentKind Kind = InstrumentKind.Perpetual, long StrikeTicks = 0, long ExpiryMs = 0)
{
    /// <summary>Expiries stay below this, so 1000·timestamp (timestamp &lt; 2^64) and an expiry compare within 80 bits.</summary>
    public const long MaxExpiryMs = 1L << 62;

    public bool IsOption => Kind != InstrumentKind.Perpetual;

    public static InstrumentParams FromSpec(InstrumentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Validate() is { } err) throw new ArgumentException($"instrument spec: {err}", nameof(spec));
        var p = new InstrumentParams(spec.TickSize, spec.LotSize, spec.CashPerTickLot, spec.MakerFeePpm, spec.TakerFeePpm, spec.InitialMarginPpm, spec.MaintenanceMarginPpm,
            spec.Kind, spec.IsOption ? spec.Strike / spec.TickSize : 0, spec.Expiry);
        return p.Validate() is { } bad ? throw new ArgumentException($"instrument spec: {bad}", nameof(spec)) : p;
    }

    public string? Validate()
    {
        if (TickSize <= 0 || LotSize <= 0 || CashPerTickLot <= 0) return "tick, lot and cash per tick-lot must be positive";
        if (TakerFeePpm is < 0 or > 100_000 || Math.Abs((long)MakerFeePpm) > TakerFeePpm) return "fees: 0 ≤ taker ≤ 10%, |maker| ≤ taker";
        if (MaintenanceMarginPpm is <= 0 or > 1_000_000 || InitialMarginPpm < MaintenanceMarginPpm || InitialMarginPpm > 1_000_000)
            return "margins: 0 < maintenance ≤ initial ≤ 100%";
        if (!Enum.IsDefined(Kind)) return "unknown instrument kind";
        if (!IsOption) return StrikeTicks != 0 || ExpiryMs != 0 ? "perpetuals have no strike or expiry" : null;
        if (StrikeTicks is <= 0 or > int.MaxValue) return "an option's strike must be 1..2^31 ticks";
        // A round's timestamp is in seconds: a sub-second expiry would make the round of its second ambiguous (CIRCUIT.md, "Options").
        if (ExpiryMs is <= 0 or >= MaxExpiryMs || ExpiryMs % 1000 != 0) return "an option's expiry must be a positive whole second (ms, a multiple of 1000) below 2^62";
        return null;
    }
}

/// <summary>
/// How many slots of each operation type one batch has; unused slots are no-ops. Forced slots take L1 forced
/// withdrawals and forced trades, the L1 queue's next operations after the deposits (0: the batch consumes deposits only).
/// Liquidation slots take the engine's liquidations after an oracle commit (0: a circuit without them, as before they existed).
/// Funding slots settle the holders of the instruments whose funding ticks in the batch (0: a circuit without funding); expiry
/// slots the engine's option expiry settlements at a commit (0: likewise).
/// </summary>
public sealed record BatchShape(int Deposits, int Trades, int Withdrawals, int Forced = 0, int Liquidations = 0, int Funding = 0, int Expiries = 0)
{
    public const int MaxSlots = 4096;

    public string? Validate() =>
        new[] { Deposits, Trades, Withdrawals, Forced, Liquidations, Funding, Expiries }.Any(n => n is < 0 or > MaxSlots)
            ? $"slot counts must be 0..{MaxSlots}"
            : null;

    public override string ToString() =>
        $"{Deposits} deposits, {Trades} trades, {Withdrawals} withdrawals, {Forced} forced requests" + (Liquidations > 0 ? $", {Liquidations} liquidations" : "")
        + (Funding > 0 ? $", {Funding} funding settlements" : "")
        + (Expiries > 0 ? $", {Expiries} expiries" : "");
}

/// <summary>
/// Everything the circuit is compiled for: tree depths, the instrument table (its length is the oracle's instrument
/// count), the account that collects fees, and the batch shape. A different configuration is a different circuit
/// with its own keys.
/// </summary>
public sealed record CircuitConfig
{
    public required int AccountDepth { get; init; }
    public required int PositionsDepth { get; init; }
    public required int FillDepth { get; init; }
    public required ImmutableArray<InstrumentParams> Instruments { get; init; }
    public required ulong FeeAccount { get; init; }
    public required BatchShape Shape { get; init; }

    /// <summary>The account that takes over liquidated positions at mark (the engine's LiquidatorAccount); used with liquidation slots.</summary>
    public ulong LiquidatorAccount { get; init; }

    /// <summary>The account whose collateral is the insurance fund (the engine's InsuranceFund); used with liquidation slots.</summary>
    public ulong InsuranceAccount { get; init; }

    /// <summary>Share of maintenance margin a liquidated account pays to the insurance fund (the engine's LiquidationPenaltyPpm).</summary>
    public long LiquidationPenaltyPpm { get; init; }

    /// <summary>
    /// The shortest time between two funding ticks of one instrument, in seconds of the oracle rounds' timestamps; used
    /// with funding slots (the node's funding period, rounded up to whole seconds).
    /// </summary>
    public long FundingPeriodSeconds { get; init; }

    /// <summary>
    /// Per instrument, the largest funding rate a tick may state (InstrumentSpec.FundingCapPpm: the engine clamps its rate
    /// to it); used with funding slots. Kept beside the instrument table so circuits without funding compare as before.
    /// </summary>
    public ImmutableArray<int> FundingCapsPpm { get; init; } = [];

    /// <summary>
    /// Per instrument, how far the engine's mark may sit from the oracle's price (InstrumentSpec.PremiumCapPpm); used
    /// with funding slots, whose step is taken at the mark the operator states within this band.
    /// </summary>
    public ImmutableArray<int> PremiumCapsPpm { get; init; } = [];

    /// <summary>The positions subtree is opened whole on every account access, so it stays small.</summary>
    public const int MaxPositionsDepth = 4;

    public int InstrumentCount => Instruments.Length;

    public int OptionCount => Instruments.Count(i => i.IsOption);

    /// <summary>The instrument numbers of the table's options, in table order.</summary>
    public int[] OptionInstruments => [.. Enumerable.Range(0, InstrumentCount).Where(j => Instruments[j].IsOption)];

    /// <summary>
    /// Whether the reserved leaf carries the open interest per instrument (CIRCUIT.md, "Open interest"): only funding
    /// and expiry slots need it, so a circuit with neither keeps its leaf, constraints and keys.
    /// </summary>
    public bool CarriesOpenInterest => Shape.Funding > 0 || Shape.Expiries > 0;

    /// <summary>Prices of an oracle round: one per instrument, then one spot slot per option (CIRCUIT.md, "Options").</summary>
    public int PriceCount => InstrumentCount + OptionCount;

    /// <summary>The round's price index holding option <paramref name="instrument"/>'s spot (its IndexTicks).</summary>
    public int SpotSlot(int instrument)
    {
        if (!Instruments[instrument].IsOption) throw new ArgumentException($"instrument {instrument} is not an option", nameof(instrument));
        return InstrumentCount + Instruments.Take(instrument).Count(i => i.IsOption);
    }

    public string? Validate()
    {
        // The contract keeps account numbers in a uint64 and the L1 words give them 64 bits.
        if (AccountDepth is < 1 or > 64) return "account depth must be 1..64";
        if (PositionsDepth is < 1 or > MaxPositionsDepth) return $"positions depth must be 1..{MaxPositionsDepth}";
        if (FillDepth is < 1 or > 64) return "fill depth must be 1..64";
        if (Instruments.IsDefaultOrEmpty || Instruments.Length > 1 << PositionsDepth) return $"1..{1 << PositionsDepth} instruments for positions depth {PositionsDepth}";
        for (int i = 0; i < Instruments.Length; i++)
            if (Instruments[i].Validate() is { } err) return $"instrument {i}: {err}";
        if (!TreeShape.Contains(AccountDepth, FeeAccount)) return $"fee account {FeeAccount} is outside an account tree of depth {AccountDepth}";
        if (FeeAccount == BatchCircuit.FillRootIndex(AccountDepth)) return $"account {FeeAccount} holds the order-fill root and cannot collect fees";
        if (Shape is null) return "a batch shape is required";
        if (Shape.Funding > 0 && ValidateFunding() is { } fundingError) return fundingError;
        if (Shape.Expiries > 0 && OptionCount == 0) return "expiry slots need an option in the instrument table";
        return Shape.Liquidations > 0 ? ValidateLiquidation() ?? Shape.Validate() : Shape.Validate();
    }

    private string? ValidateFunding()
    {
        if (FundingPeriodSeconds is <= 0 or > uint.MaxValue) return "funding slots need a funding period of 1 to 2^32 − 1 seconds";
        if (FundingCapsPpm.IsDefault || FundingCapsPpm.Length != InstrumentCount) return $"funding slots need a funding cap for each of the {InstrumentCount} instruments";
        if (PremiumCapsPpm.IsDefault || PremiumCapsPpm.Length != InstrumentCount) return $"funding slots need a premium cap for each of the {InstrumentCount} instruments";
        return FundingCapsPpm.Concat(PremiumCapsPpm).Any(c => c is < 0 or > 1_000_000) ? "funding and premium caps must be 0..1,000,000 ppm" : null;
    }

    private string? ValidateLiquidation()
    {
        foreach (var (name, id) in new[] { ("liquidator", LiquidatorAccount), ("insurance fund", InsuranceAccount) })
        {
            if (!TreeShape.Contains(AccountDepth, id)) return $"{name} account {id} is outside an account tree of depth {AccountDepth}";
            if (id == BatchCircuit.FillRootIndex(AccountDepth)) return $"account {id} holds the order-fill root and cannot be the {name} account";
        }
        if (LiquidatorAccount == InsuranceAccount) return $"the liquidator and the insurance fund must be different accounts (both {LiquidatorAccount})";
        if (AccountDepth < 2) return "liquidation needs an account tree with room for the liquidator, the fund and a liquidated account";
        return LiquidationPenaltyPpm is < 0 or > 1_000_000 ? "the liquidation penalty must be 0..100%" : null;
    }

    public CircuitConfig Checked() => Validate() is { } err ? throw new ArgumentException($"circuit configuration: {err}") : this;
}
