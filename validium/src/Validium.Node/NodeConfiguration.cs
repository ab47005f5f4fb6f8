using System.Collections;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Validium.Accel;
using Validium.Batcher;
using Validium.Circuits;
using Validium.Crypto;
using Validium.Exchange;

namespace Validium.Node;

/// <summary>Bad settings, one line each, naming the setting and what is wrong with it.</summary>
public sealed class NodeConfigurationException(IReadOnlyList<string> problems)
    : Exception("the node's configuration has " + (problems.Count == 1 ? "a bad setting" : $"{problems.Count} bad settings") + ":\n  " + string.Join("\n  ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// The node's configuration layers, each overriding the one before: the embedded defaults (defaults.json: everything
/// on one machine, anvil and three committee members on loopback), appsettings.json (in the data directory, or the
/// file given), environment variables prefixed <c>VLD_</c> (<c>VLD_BATCHER__QUEUECAPACITY=4</c> sets
/// <c>Batcher:QueueCapacity</c>), then the command line's settings.
/// </summary>
public static class NodeConfiguration
{
    public const string EnvironmentPrefix = "VLD_";
    public const string SettingsFile = "appsettings.json";

    /// <summary>
    /// Builds the layers and reads them. <paramref name="configFile"/> replaces the data directory's appsettings.json
    /// (and must exist); <paramref name="environment"/> defaults to the process's variables.
    /// </summary>
    public static NodeOptions Load(string? configFile, IReadOnlyDictionary<string, string?> commandLine, IDictionary? environment = null)
    {
        var env = EnvironmentLayer(environment ?? Environment.GetEnvironmentVariables());
        if (configFile is not null && !File.Exists(configFile))
            throw new NodeConfigurationException([$"--config {configFile}: no such file"]);
        // The data directory decides where appsettings.json is, so it is resolved from the other layers first.
        var file = configFile ?? Path.Combine(Layers(null, null, env, commandLine)["DataDir"] ?? ".", SettingsFile);
        var path = File.Exists(file) ? Path.GetFullPath(file) : null;
        var config = Layers(path, null, env, commandLine);
        // A devnet manifest sits just above the defaults: it fills what joining the devnet needs, any other layer may still override it.
        if (config[DevNetSettings.ManifestKey] is { Length: > 0 } manifest)
            config = Layers(path, DevNetSettings.Read(manifest.Trim()), env, commandLine);
        return Read(config);
    }

    private static IConfigurationRoot Layers(string? file, IReadOnlyDictionary<string, string?>? devnet, IReadOnlyDictionary<string, string?> env,
        IReadOnlyDictionary<string, string?> commandLine)
    {
        var builder = new ConfigurationBuilder();
        using (var defaults = typeof(NodeConfiguration).Assembly.GetManifestResourceStream("Validium.Node.defaults.json")
            ?? throw new InvalidOperationException("the embedded defaults.json is missing from Validium.Node"))
        {
            var copy = new MemoryStream();
            defaults.CopyTo(copy);
            copy.Position = 0;
            builder.AddJsonStream(copy);
        }
        if (devnet is not null) builder.AddInMemoryCollection(devnet);
        if (file is not null) builder.AddJsonFile(file, optional: false, reloadOnChange: false);
        builder.AddInMemoryCollection(env);
        builder.AddInMemoryCollection(commandLine);
        try
        {
            return builder.Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException)
        {
            throw new NodeConfigurationException([$"{file}: {e.Message}"]);
        }
    }

    private static Dictionary<string, string?> EnvironmentLayer(IDictionary environment)
    {
        var layer = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry e in environment)
        {
            if (e.Key is not string name || !name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase)) continue;
            layer[name[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal)] = e.Value as string;
        }
        return layer;
    }

    private static NodeOptions Read(IConfiguration c)
    {
        var r = new SettingReader(c);
        var dataDir = r.Text("DataDir");
        var urls = r.List("Api:Urls", s => Uri.TryCreate(s, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? null : "is not an http(s) URL");
        var format = r.Enum<LogFormat>("Log:Format");
        var level = r.Enum<LogLevel>("Log:Level");
        var accel = r.Parse("Accel:Mode", s => s.ToLowerInvariant() is "auto" or "cpu" or "gpu" or "fpga"
            ? (AccelOptions.ParseMode(s), (string?)null) : (AccelMode.Cpu, "is not one of auto, cpu, gpu, fpga"));

        var l1 = new L1Options(r.Url("L1:Rpc"), r.Long("L1:ChainId", 1, long.MaxValue), r.Address("L1:Validium"), r.Address("L1:Oracle"),
            r.Text("L1:OperatorKeyFile"), r.Millis("L1:PollIntervalMs"))
        {
            Enabled = r.Bool("L1:Enabled"), OperatorPasswordFile = string.IsNullOrWhiteSpace(c["L1:OperatorPasswordFile"]) ? null : c["L1:OperatorPasswordFile"]!.Trim(),
            StartBlock = r.Long("L1:StartBlock", 0, long.MaxValue), Confirmations = r.Int("L1:Confirmations", 1, 10_000),
        };
        if (l1.Enabled)
        {
            if (l1.Validium is null) r.Problem("L1:Validium", "is missing: L1:Enabled needs the Validium contract's address");
            if (l1.Oracle is null) r.Problem("L1:Oracle", "is missing: L1:Enabled needs the PriceOracle's address");
            if (l1.OperatorPasswordFile is null) r.Problem("L1:OperatorPasswordFile", "is missing: L1:Enabled needs the operator keystore's password file");
            foreach (var (key, f) in new[] { ("L1:OperatorKeyFile", l1.OperatorKeyFile), ("L1:OperatorPasswordFile", l1.OperatorPasswordFile) })
                if (!string.IsNullOrEmpty(f) && !File.Exists(f)) r.Problem(key, $"'{f}' does not exist");
        }
        var members = r.List("Committee:Members", s => Uri.TryCreate(s, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? null : "is not an http(s) URL");
        int threshold = r.Int("Committee:Threshold", 1, 255);
        if (members.Length > 0 && threshold > members.Length) r.Problem("Committee:Threshold", $"{threshold} signatures from {members.Length} members can never be met");
        var committee = new CommitteeOptions([.. members.Select(m => new Uri(m))], threshold, r.Millis("Committee:TimeoutMs"));
        var poster = new PosterOptions(r.Millis("Poster:AttestationTimeoutMs"), r.Bool("Poster:OnChainDataFallback"));

        var instruments = ReadInstruments(c, r);
        var circuit = new CircuitConfig
        {
            AccountDepth = r.Int("Circuit:AccountDepth", 1, 64),
            PositionsDepth = r.Int("Circuit:PositionsDepth", 1, CircuitConfig.MaxPositionsDepth),
            FillDepth = r.Int("Circuit:FillDepth", 1, 64),
            FeeAccount = (ulong)r.Long("Circuit:FeeAccount", 0, long.MaxValue),
            Shape = new BatchShape(r.Int("Circuit:Deposits", 0, BatchShape.MaxSlots), r.Int("Circuit:Trades", 0, BatchShape.MaxSlots),
                r.Int("Circuit:Withdrawals", 0, BatchShape.MaxSlots), r.Int("Circuit:Forced", 0, BatchShape.MaxSlots),
                r.Int("Circuit:Liquidations", 0, BatchShape.MaxSlots), r.Int("Circuit:Funding", 0, BatchShape.MaxSlots), r.Int("Circuit:Expiries", 0, BatchShape.MaxSlots)),
            Instruments = [.. instruments.Where(Provable).Select(InstrumentParams.FromSpec)],
            LiquidatorAccount = (ulong)r.Long("Circuit:LiquidatorAccount", 0, long.MaxValue),
            InsuranceAccount = (ulong)r.Long("Circuit:InsuranceAccount", 0, long.MaxValue),
            LiquidationPenaltyPpm = r.Long("Circuit:LiquidationPenaltyPpm", 0, 1_000_000),
            // The circuit counts the period in the rounds' whole seconds; a part second rounds up, never shortening it.
            FundingPeriodSeconds = (r.Long("Exchange:FundingPeriodMs", 1, uint.MaxValue * 1000L) + 999) / 1000,
            FundingCapsPpm = [.. instruments.Where(i => !i.IsOption && i.Validate() is null).Select(i => i.FundingCapPpm)],
            PremiumCapsPpm = [.. instruments.Where(i => !i.IsOption && i.Validate() is null).Select(i => i.PremiumCapPpm)],
        };
        if (r.Ok && circuit.Validate() is { } circuitError) r.Problem("Circuit", circuitError);
        int? devSeed = string.IsNullOrWhiteSpace(c["Circuit:DevSeed"]) ? null : r.Int("Circuit:DevSeed", 0, int.MaxValue);

        var batcher = new BatcherOptions
        {
            MaxBatchAge = r.Millis("Batcher:MaxBatchAgeMs"), QueueCapacity = r.Int("Batcher:QueueCapacity", 1, 1024),
            IntakeCapacity = r.Int("Batcher:IntakeCapacity", 1, 1 << 20), ProveAttempts = r.Int("Batcher:ProveAttempts", 1, 10),
        };
        var engine = new EngineConfig { MaxAccounts = r.Int("Exchange:MaxAccounts", 1, 1 << 24), OrderCapacity = r.Int("Exchange:OrderCapacity", 1, 1 << 26) };
        // A circuit with liquidation slots proves the engine's liquidations only with its liquidator and penalty (CIRCUIT.md).
        if (circuit.Shape.Liquidations > 0)
        {
            if (circuit.LiquidatorAccount >= (ulong)engine.MaxAccounts) r.Problem("Circuit:LiquidatorAccount", $"{circuit.LiquidatorAccount} is not one of the exchange's {engine.MaxAccounts} accounts");
            else engine = engine with { LiquidatorAccount = (int)circuit.LiquidatorAccount, LiquidationPenaltyPpm = circuit.LiquidationPenaltyPpm };
        }
        BabyJubjubPoint? operatorKey = null;
        if (!string.IsNullOrWhiteSpace(c["Exchange:OperatorKey"]))
            operatorKey = r.Parse("Exchange:OperatorKey", s => s.Length == 64 && s.All(char.IsAsciiHexDigit) && BabyJubjub.TryUnpack(Convert.FromHexString(s), out var p)
                ? (p, (string?)null) : (default, "is not a packed BabyJubjub key (64 hex digits, as circomlibjs packPoint)"));
        var options = new NodeOptions
        {
            DataDir = Path.GetFullPath(dataDir.Length == 0 ? "." : dataDir),
            Urls = urls, LogFormat = format, LogLevel = level, Accel = accel, L1 = l1, Committee = committee, Poster = poster, Circuit = circuit, DevSeed = devSeed,
            Instruments = instruments, Batcher = batcher, Engine = engine,
            DepthLevels = r.Int("Exchange:DepthLevels", 1, 1000), FillHistory = r.Int("Exchange:FillHistory", 0, 100_000),
            TradeHistory = r.Int("Exchange:TradeHistory", 0, 100_000), SubscriberCapacity = r.Int("Exchange:SubscriberCapacity", 1, 1 << 20),
            DrainTimeout = r.Millis("Exchange:DrainTimeoutMs"), OperatorKey = operatorKey,
            Api = new Api.TraderApiOptions { PermitsPerSecond = r.Int("Api:PermitsPerSecond", 1, 1_000_000), Burst = r.Int("Api:Burst", 1, 1_000_000) },
            BatchDirectory = string.IsNullOrWhiteSpace(c["Batcher:Directory"]) ? null : Path.GetFullPath(c["Batcher:Directory"]!.Trim()),
        };
        if (string.IsNullOrWhiteSpace(dataDir)) r.Problem("DataDir", "is empty");
        if (r.Ok && engine.Validate() is { } engineError) r.Problem("Exchange", engineError);
        return r.Ok ? options : throw new NodeConfigurationException(r.Problems);
    }

    private static bool Provable(InstrumentSpec spec) => spec.Validate() is null && CircuitProblem(spec) is null;

    private static string? CircuitProblem(InstrumentSpec spec)
    {
        try
        {
            return InstrumentParams.FromSpec(spec).Validate();
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    private static ImmutableArray<InstrumentSpec> ReadInstruments(IConfiguration c, SettingReader r)
    {
        var list = ImmutableArray.CreateBuilder<InstrumentSpec>();
        var sections = c.GetSection("Instruments").GetChildren().OrderBy(s => int.TryParse(s.Key, out int k) ? k : int.MaxValue).ToList();
        if (sections.Count == 0) r.Problem("Instruments", "none configured: the exchange needs at least one");
        foreach (var s in sections)
        {
            string p = $"Instruments:{s.Key}";
            var spec = new InstrumentSpec
            {
                Kind = r.Enum<InstrumentKind>($"{p}:Kind"), Underlying = r.Int($"{p}:Underlying", 0, int.MaxValue),
                TickSize = r.Long($"{p}:TickSize", 1, long.MaxValue), LotSize = r.Long($"{p}:LotSize", 1, long.MaxValue),
                QuantityDecimals = r.Int($"{p}:QuantityDecimals", 0, 18), MinQuantity = r.Long($"{p}:MinQuantity", 1, long.MaxValue),
                MaxQuantity = r.Long($"{p}:MaxQuantity", 1, long.MaxValue), MaxPrice = r.Long($"{p}:MaxPrice", 1, long.MaxValue),
                MaxPosition = r.Long($"{p}:MaxPosition", 1, long.MaxValue), MakerFeePpm = r.Int($"{p}:MakerFeePpm", -1_000_000, 1_000_000),
                TakerFeePpm = r.Int($"{p}:TakerFeePpm", 0, 1_000_000), InitialMarginPpm = r.Int($"{p}:InitialMarginPpm", 1, 1_000_000),
                MaintenanceMarginPpm = r.Int($"{p}:MaintenanceMarginPpm", 1, 1_000_000), BandPpm = r.Int($"{p}:BandPpm", 0, 1_000_000),
                PremiumCapPpm = r.Int($"{p}:PremiumCapPpm", 0, 1_000_000), FundingCapPpm = r.Int($"{p}:FundingCapPpm", 0, 1_000_000),
                // Options only: strike (raw price) and expiry (ms, a whole second for the batch circuit).
                Strike = string.IsNullOrWhiteSpace(c[$"{p}:Strike"]) ? 0 : r.Long($"{p}:Strike", 1, long.MaxValue),
                Expiry = string.IsNullOrWhiteSpace(c[$"{p}:Expiry"]) ? 0 : r.Long($"{p}:Expiry", 1, long.MaxValue),
            };
            if (!r.Ok) continue;
            if (spec.Validate() is { } err) r.Problem(p, err);
            else if (!Provable(spec)) r.Problem(p, $"the batch circuit refuses it: {CircuitProblem(spec)}");
            list.Add(spec);
        }
        return list.ToImmutable();
    }

    /// <summary>Reads settings, collecting a problem per bad one instead of stopping at the first.</summary>
    private sealed class SettingReader(IConfiguration c)
    {
        public List<string> Problems { get; } = [];
        public bool Ok => Problems.Count == 0;

        public void Problem(string key, string what) => Problems.Add($"{key}: {what}");

        public T Parse<T>(string key, Func<string, (T Value, string? Error)> parse)
        {
            var raw = c[key];
            if (string.IsNullOrWhiteSpace(raw))
            {
                Problem(key, "is missing");
                return default!;
            }
            var (value, error) = parse(raw.Trim());
            if (error is not null) Problem(key, $"'{raw}' {error}");
            return value;
        }

        public string Text(string key) => Parse(key, s => (s, (string?)null)) ?? "";

        public long Long(string key, long min, long max) => Parse(key, s =>
            long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v)
                ? v < min || v > max ? (v, $"is outside {min}..{max}") : (v, null)
                : (0L, "is not a whole number"));

        public int Int(string key, int min, int max) => (int)Long(key, min, max);

        public bool Bool(string key) => Parse(key, s => bool.TryParse(s, out bool v) ? (v, (string?)null) : (false, "is not true or false"));

        public TimeSpan Millis(string key) => TimeSpan.FromMilliseconds(Long(key, 1, (long)TimeSpan.FromDays(30).TotalMilliseconds));

        public TEnum Enum<TEnum>(string key) where TEnum : struct, System.Enum => Parse(key, s =>
            System.Enum.TryParse<TEnum>(s, ignoreCase: true, out var v) && System.Enum.IsDefined(v) && !s.All(ch => char.IsDigit(ch) || ch == '-')
                ? (v, null)
                : (default(TEnum), $"is not one of {string.Join(", ", System.Enum.GetNames<TEnum>())}"));

        public Uri Url(string key) => Parse(key, s =>
            Uri.TryCreate(s, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? (u, (string?)null) : (null!, "is not an http(s) URL"));

        /// <summary>An Ethereum address, or null when empty (not deployed yet).</summary>
        public string? Address(string key)
        {
            var raw = c[key];
            if (string.IsNullOrWhiteSpace(raw)) return null;
            var s = raw.Trim();
            if (s.Length == 42 && s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && s[2..].All(char.IsAsciiHexDigit)) return s;
            Problem(key, $"'{raw}' is not a 20-byte 0x address");
            return null;
        }

        public ImmutableArray<string> List(string key, Func<string, string?> check)
        {
            var raw = c[key];
            var items = (raw ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (items.Length == 0) Problem(key, "is missing");
            foreach (var item in items)
                if (check(item) is { } error) Problem(key, $"'{item}' {error}");
            return [.. items];
        }
    }
}
