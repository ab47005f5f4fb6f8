using Validium.Circuits;
using Validium.DevNet;
using Validium.Exchange;

namespace Validium.Demo;

/// <summary>How `vld demo` runs; <see cref="For"/> fills the defaults of the full and the quick run.</summary>
public sealed record DemoOptions
{
    /// <summary>Where the devnet, the node's data, summary.json and the chart go; an existing demo directory is reused.</summary>
    public required string Directory { get; init; }

    public bool Quick { get; init; }

    /// <summary>How long the traders trade before intake stops.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Simulated traders: a third of them (at least one) market makers, the rest takers.</summary>
    public int Traders { get; init; }

    /// <summary>Seeds the traders' keys and the takers' decisions, so a run can be repeated.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Load traders besides the makers and takers: each places and cancels a resting order as fast as the node answers (<see cref="LoadBot"/>).</summary>
    public int Load { get; init; }

    /// <summary>After the withdrawal: stop the operator, force a withdrawal, freeze, and escape every account.</summary>
    public bool Escape { get; init; }

    /// <summary>The repository holding validium/contracts (compiled on a new devnet); null looks above the working and program directories.</summary>
    public string? Repository { get; init; }

    /// <summary>The longest wait for the last batch to reach L1 after trading stops, and for each later L1 step.</summary>
    public TimeSpan SettleTimeout { get; init; }

    public const int DefaultSeconds = 75, QuickSeconds = 20;

    public static DemoOptions For(string directory, bool quick, int? seconds = null, int? traders = null, int seed = 1, bool escape = false, string? repository = null,
        int load = 0) => new()
    {
        Load = load,
        Directory = directory,
        Quick = quick,
        Duration = TimeSpan.FromSeconds(seconds ?? (quick ? QuickSeconds : DefaultSeconds)),
        // Two market makers even in the quick run: a maker's hedge crosses the other's quotes (never its own).
        Traders = traders ?? 6,
        Seed = seed,
        Escape = escape,
        Repository = repository,
        SettleTimeout = TimeSpan.FromSeconds(quick ? 180 : 600),
    };

    /// <summary>The options' expiry, 2028-01-01 00:00 UTC: fixed, so a reused demo directory keeps its circuit, and far enough out that no demo reaches it.</summary>
    public const long OptionExpiryMs = 1_830_297_600_000;

    /// <summary>
    /// What the demo lists: the devnet's BTC and ETH perpetuals, then a call and a put on BTC struck at the BTC
    /// perpetual's starting index, priced by the devnet's <see cref="OptionModel"/>.
    /// </summary>
    public static readonly IReadOnlyList<DevNetInstrument> Instruments =
    [
        .. DevNetOptions.DefaultInstruments,
        new("BTC-20280101-50000-C", DevNetOptions.BtcOption(InstrumentKind.Call, 50_000 * DevNetOptions.Usd, OptionExpiryMs), 0),
        new("BTC-20280101-50000-P", DevNetOptions.BtcOption(InstrumentKind.Put, 50_000 * DevNetOptions.Usd, OptionExpiryMs), 0),
    ];

    public int Makers => Math.Max(1, Traders / 3);

    public int Takers => Traders - Makers;

    /// <summary>
    /// The quick run's circuit: 15 trader accounts and, per batch, 4 deposits, 2 trades, 1 withdrawal and 1 forced
    /// request, so the development setup and every proof take seconds. No expiry slot: the demo's options expire in
    /// 2028, and with the call and put listed the slot is what takes the circuit past domain 2^17 (129,737 constraints
    /// without it, 136,163 with it; 111,627 for the perpetuals alone). The full run proves
    /// <see cref="DevNetOptions.DefaultCircuit"/>. 2^16 fill slots as there: every order that trades takes one for good
    /// (one cancelled without trading frees its slot), and with fewer a reused demo directory soon has orders refused (FillSlotTaken).
    /// </summary>
    public static CircuitConfig QuickCircuit(IReadOnlyList<DevNetInstrument> instruments) => new()
    {
        AccountDepth = 4, PositionsDepth = DevNetOptions.PositionsDepthFor(instruments.Count), FillDepth = 16, FeeAccount = 0,
        Instruments = [.. instruments.Select(i => InstrumentParams.FromSpec(i.Spec))],
        Shape = new BatchShape(Deposits: 4, Trades: 2, Withdrawals: 1, Forced: 1),
    };

    /// <summary>Every problem at once; null when the options are usable.</summary>
    public string? Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Directory)) problems.Add("a demo directory is required");
        if (Duration < TimeSpan.FromSeconds(5) || Duration > TimeSpan.FromHours(24)) problems.Add($"--duration must be 5..86400 seconds, got {Duration.TotalSeconds}");
        // Account 0 takes the fees; the quick circuit has 15 accounts besides it, the full one 255.
        int most = Quick ? 14 : 64;
        if (Traders < 2 || Traders > most) problems.Add($"--traders must be 2..{most} (at least one market maker and one taker), got {Traders}");
        else if (Load < 0 || Traders + Load > most) problems.Add($"--load must be 0..{most - Traders} beside {Traders} traders (the circuit's accounts), got {Load}");
        if (SettleTimeout <= TimeSpan.Zero) problems.Add("the settle timeout must be positive");
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }
}

/// <summary>A stage of the demo failed: <see cref="Stage"/> names it, the message says why.</summary>
public sealed class DemoStageException(string stage, string message, Exception? inner = null) : Exception($"stage '{stage}' failed: {message}", inner)
{
    public string Stage { get; } = stage;
}
