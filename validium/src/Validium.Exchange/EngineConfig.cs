namespace Validium.Exchange;

/// <summary>Engine-wide settings; part of the snapshot, so a restored engine runs by the same rules.</summary>
public sealed record EngineConfig
{
    /// <summary>Account ids are 0..MaxAccounts-1 (dense tables).</summary>
    public int MaxAccounts { get; init; } = 1 << 16;
    /// <summary>Orders the pool holds before it has to grow (growing allocates; size it for the expected book).</summary>
    public int OrderCapacity { get; init; } = 1 << 16;
    /// <summary>Underlying moves (ppm) the portfolio margin evaluates; see MARGIN.md.</summary>
    public long[] ScenarioShocksPpm { get; init; } = [-50_000, -30_000, -10_000, 0, 10_000, 30_000, 50_000];
    /// <summary>Initial margin's scenario loss = maintenance scenario loss × this / 10^6.</summary>
    public long ScenarioInitialMultiplierPpm { get; init; } = 2_000_000;
    /// <summary>Share of maintenance margin a liquidated account pays to the insurance fund.</summary>
    public long LiquidationPenaltyPpm { get; init; } = 200_000;
    /// <summary>Account that takes over liquidated positions at mark, or -1 to deleverage against the book's holders.</summary>
    public int LiquidatorAccount { get; init; } = -1;

    public string? Validate()
    {
        if (MaxAccounts is < 1 or > 1 << 24) return "max accounts must be 1..2^24";
        if (OrderCapacity is < 1 or > 1 << 26) return "order capacity must be 1..2^26";
        if (ScenarioShocksPpm.Length is < 1 or > 32 || ScenarioShocksPpm.Any(s => s is <= -1_000_000 or > 1_000_000)) return "1..32 shocks in (-100%, 100%]";
        if (ScenarioInitialMultiplierPpm is < 1_000_000 or > 10_000_000) return "initial multiplier must be 1x..10x";
        if (LiquidationPenaltyPpm is < 0 or > 1_000_000) return "liquidation penalty must be 0..100%";
        if (LiquidatorAccount < -1 || LiquidatorAccount >= MaxAccounts) return "liquidator must be -1 or an account id";
        return null;
    }
}
