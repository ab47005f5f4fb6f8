using Microsoft.Extensions.Logging;
using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Exchange;

namespace Validium.DevNet;

/// <summary>
/// An instrument the devnet lists: its symbol, spec and starting index price (raw price units). An option's is 0: its
/// index is its underlying perpetual's and its mark <see cref="OptionModel"/>'s.
/// </summary>
public sealed record DevNetInstrument(string Symbol, InstrumentSpec Spec, long InitialPrice);

/// <summary>How to bring a devnet up. Only the directory is required; on an existing devnet most fields must match what it was made with.</summary>
public sealed record DevNetOptions
{
    public required string Directory { get; init; }

    public int Members { get; init; } = 3;
    public int Threshold { get; init; } = 2;

    /// <summary>Null: the port of the previous run, else a free one.</summary>
    public int? AnvilPort { get; init; }

    /// <summary>Null: one block per transaction.</summary>
    public double? BlockTimeSeconds { get; init; }

    /// <summary>Seconds between oracle rounds; null or zero runs no feeder (rounds only through <see cref="DevNetwork.Feeder"/>'s PublishNextAsync).</summary>
    public double? OracleIntervalSeconds { get; init; } = 5;

    public ulong PriceSeed { get; init; } = 1;

    /// <summary>The listed instruments; the circuit, the oracle and the exchange all take them in this order.</summary>
    public IReadOnlyList<DevNetInstrument> Instruments { get; init; } = DefaultInstruments;

    /// <summary>Null: <see cref="DefaultCircuit"/> over <see cref="Instruments"/>. Only used on the first run (then it is the batcher directory's).</summary>
    public CircuitConfig? Circuit { get; init; }

    /// <summary>Seed of the development Groth16 setup (reproducible trapdoor: a development chain only).</summary>
    public int SetupSeed { get; init; } = 1;

    public long ForcedDelaySeconds { get; init; } = 3_600;
    public long TimelockDelaySeconds { get; init; } = 7_200;

    /// <summary>The repository holding validium/contracts/build.mjs (compiled on the first run); null looks above the working and program directories.</summary>
    public string? Repository { get; init; }

    /// <summary>Where the devnet's own progress and the feeder's rounds go.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// Null: the members run in this process. Otherwise the command that runs `vld` (e.g. ["dotnet", ".../vld.dll"]
    /// or [".../vld"]): each member is then its own process, `… dac member --config members/member-I/config.json`,
    /// which <see cref="DevNetwork.StopMemberAsync"/> can kill outright.
    /// </summary>
    public IReadOnlyList<string>? MemberCommand { get; init; }

    /// <summary>The members' ASP.NET Core logging (in-process members only); null keeps them quiet.</summary>
    public Action<ILoggingBuilder>? MemberLogging { get; init; }

    public const int Reporters = 3;
    public const int ReporterThreshold = 2;
    public const long Usd = DemoExchange.Usd;

    public static readonly IReadOnlyList<DevNetInstrument> DefaultInstruments =
    [
        new("BTC-PERP", DemoExchange.BtcPerp, 50_000 * Usd),
        new("ETH-PERP", DemoExchange.EthPerp, 3_000 * Usd),
    ];

    /// <summary>
    /// A BTC option (underlying 0, the BTC perpetual's index): 5 USD ticks on 0.01 BTC lots, margins of 15 % initial and
    /// 10 % maintenance of the underlying, and a wide price band since an option's mark moves by more than its index.
    /// </summary>
    public static InstrumentSpec BtcOption(InstrumentKind kind, long strike, long expiryMs) => new()
    {
        Kind = kind, Underlying = 0, Strike = strike, Expiry = expiryMs, TickSize = 5 * Usd, LotSize = 1_000_000, QuantityDecimals = 8,
        MinQuantity = 1_000_000, MaxQuantity = 1_000_000_000, MaxPrice = 200_000 * Usd, MaxPosition = 10_000_000_000,
        MakerFeePpm = 0, TakerFeePpm = 300, InitialMarginPpm = 150_000, MaintenanceMarginPpm = 100_000, BandPpm = 500_000,
    };

    /// <summary>
    /// A small batch circuit a 2-core machine proves in seconds: 255 accounts (account 0 collects fees), per batch 4
    /// deposits, 2 trades, 1 withdrawal and 1 forced request (about 140,000 constraints, domain 2^18), and with options
    /// listed one expiry slot.
    /// </summary>
    public static CircuitConfig DefaultCircuit(IReadOnlyList<DevNetInstrument> instruments) => new()
    {
        AccountDepth = 8, PositionsDepth = PositionsDepthFor(instruments.Count), FillDepth = 16, FeeAccount = 0,
        Instruments = [.. instruments.Select(i => InstrumentParams.FromSpec(i.Spec))],
        Shape = new BatchShape(Deposits: 4, Trades: 2, Withdrawals: 1, Forced: 1, Expiries: ExpirySlotsFor(instruments)),
    };

    /// <summary>
    /// One expiry slot when an option is listed (a circuit without options may have none): the batcher settles a round's
    /// holders over as many batches of that round as they need (CIRCUIT.md, "Expiry slots").
    /// </summary>
    public static int ExpirySlotsFor(IReadOnlyList<DevNetInstrument> instruments) => instruments.Any(i => i.Spec.IsOption) ? 1 : 0;

    public static int PositionsDepthFor(int instruments)
    {
        int depth = 1;
        while (1 << depth < instruments) depth++;
        return depth;
    }

    /// <summary>Every problem named at once, before anything starts.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Directory)) problems.Add("a devnet directory is required");
        if (Members is < 1 or > 16) problems.Add($"members must be 1..16, got {Members}");
        if (Threshold < 1 || Threshold > Members) problems.Add($"threshold must be 1..{Members}, got {Threshold}");
        if (AnvilPort is < 0 or > 65535) problems.Add($"anvil port must be 0..65535, got {AnvilPort}");
        if (BlockTimeSeconds is { } b && (double.IsNaN(b) || b <= 0 || b > 3600)) problems.Add($"block time must be in (0, 3600] seconds, got {b}");
        if (OracleIntervalSeconds is { } o && (double.IsNaN(o) || o < 0 || o > 86_400)) problems.Add($"oracle interval must be in [0, 86400] seconds, got {o}");
        if (Instruments.Count == 0) problems.Add("at least one instrument is required");
        if (Instruments.Select(i => i.Symbol).Distinct(StringComparer.Ordinal).Count() != Instruments.Count) problems.Add("instrument symbols must differ");
        foreach (var i in Instruments)
        {
            if (i.Spec.Validate() is { } err) problems.Add($"{i.Symbol}: {err}");
            else if (i.Spec.IsOption)
            {
                if (!Instruments.Any(p => !p.Spec.IsOption && p.Spec.Underlying == i.Spec.Underlying))
                    problems.Add($"{i.Symbol}: no perpetual on underlying {i.Spec.Underlying} lists the index the option is priced from");
                if (i.InitialPrice != 0) problems.Add($"{i.Symbol}: an option's initial price must be 0 (the option model prices it), got {i.InitialPrice}");
                if (i.Spec.Expiry % 1000 != 0) problems.Add($"{i.Symbol}: the expiry must be a whole second (the circuit compares it with the round's timestamp), got {i.Spec.Expiry} ms");
            }
            else if (i.InitialPrice <= 0 || i.InitialPrice > i.Spec.MaxPrice || i.InitialPrice % i.Spec.TickSize != 0)
                problems.Add($"{i.Symbol}: initial price {i.InitialPrice} must be a positive multiple of the tick {i.Spec.TickSize} up to {i.Spec.MaxPrice}");
        }
        if (Circuit is { } c)
        {
            if (c.Validate() is { } err) problems.Add($"circuit: {err}");
            else if (c.InstrumentCount != Instruments.Count) problems.Add($"circuit: {c.InstrumentCount} instruments, but {Instruments.Count} are listed");
            else
                for (int i = 0; i < Instruments.Count; i++)
                    if (Instruments[i].Spec.Validate() is null && Instruments[i].Spec.Expiry % 1000 == 0 && c.Instruments[i] != InstrumentParams.FromSpec(Instruments[i].Spec))
                        problems.Add($"circuit: instrument {i} differs from {Instruments[i].Symbol}'s spec");
        }
        if (MemberCommand is { Count: 0 }) problems.Add("the member command is empty (null runs the members in this process)");
        if (ForcedDelaySeconds <= 0) problems.Add("the forced-request delay must be positive");
        if (TimelockDelaySeconds <= ForcedDelaySeconds) problems.Add("the timelock delay must exceed the forced-request delay (Validium.sol refuses it otherwise)");
        if (problems.Count > 0) throw new ArgumentException("devnet options: " + string.Join("; ", problems));
    }
}
