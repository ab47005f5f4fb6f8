using System.Collections;
using Validium.Node;

namespace Validium.Node.Tests;

public class ConfigurationTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("validium-node-config-").FullName;

    private static Dictionary<string, string?> Args(params (string Key, string Value)[] settings) => settings.ToDictionary(s => s.Key, s => (string?)s.Value);

    private NodeOptions Load(string? file, Hashtable env, params (string, string)[] commandLine) =>
        NodeConfiguration.Load(file, Args([("DataDir", dir), .. commandLine]), env);

    [Fact]
    public void EachLayerOverridesTheOneBefore()
    {
        var none = new Hashtable();
        var defaults = Load(null, none);
        Assert.Equal(2, defaults.Batcher.QueueCapacity);
        Assert.Equal(["http://127.0.0.1:0"], defaults.Urls.ToArray());
        Assert.Equal(3, defaults.Committee.Members.Length);
        Assert.Equal(Path.GetFullPath(dir), defaults.DataDir);
        Assert.Equal((50, 100), (defaults.Api.PermitsPerSecond, defaults.Api.Burst));
        Assert.Equal((2000, 50), (Load(null, none, ("Api:PermitsPerSecond", "2000")).Api.PermitsPerSecond, Load(null, none, ("Api:Burst", "50")).Api.Burst));
        Assert.Contains("Api:PermitsPerSecond: '0' is outside 1..1000000", Assert.Throws<NodeConfigurationException>(() => Load(null, none, ("Api:PermitsPerSecond", "0"))).Problems);

        // appsettings.json in the data directory.
        File.WriteAllText(Path.Combine(dir, NodeConfiguration.SettingsFile), """{ "Batcher": { "QueueCapacity": 3, "ProveAttempts": 3 }, "Log": { "Format": "json" } }""");
        var file = Load(null, none);
        Assert.Equal((3, 3, LogFormat.Json), (file.Batcher.QueueCapacity, file.Batcher.ProveAttempts, file.LogFormat));

        var env = new Hashtable { ["VLD_BATCHER__QUEUECAPACITY"] = "4", ["OTHER__BATCHER__PROVEATTEMPTS"] = "9" };
        var fromEnv = Load(null, env);
        Assert.Equal((4, 3), (fromEnv.Batcher.QueueCapacity, fromEnv.Batcher.ProveAttempts));

        var cmd = Load(null, env, ("Batcher:QueueCapacity", "5"), ("Api:Urls", "http://127.0.0.1:9999"));
        Assert.Equal(5, cmd.Batcher.QueueCapacity);
        Assert.Equal(["http://127.0.0.1:9999"], cmd.Urls.ToArray());
        Assert.Equal(LogFormat.Json, cmd.LogFormat);

        // A file given explicitly replaces the data directory's.
        var other = Path.Combine(dir, "other.json");
        File.WriteAllText(other, """{ "Batcher": { "IntakeCapacity": 7 } }""");
        var explicitFile = Load(other, none);
        Assert.Equal((7, 2), (explicitFile.Batcher.IntakeCapacity, explicitFile.Batcher.QueueCapacity));
    }

    /// <summary>An option listed beside the default perpetual joins the circuit's table with its strike and expiry; a sub-second expiry is refused by name.</summary>
    [Fact]
    public void AnOptionInstrumentJoinsTheCircuitAndASubSecondExpiryIsRefused()
    {
        (string, string)[] call =
        [
            ("Instruments:1:Kind", "Call"), ("Instruments:1:Underlying", "0"), ("Instruments:1:TickSize", "500000"), ("Instruments:1:LotSize", "100000"),
            ("Instruments:1:QuantityDecimals", "8"), ("Instruments:1:MinQuantity", "100000"), ("Instruments:1:MaxQuantity", "1000000000"),
            ("Instruments:1:MaxPrice", "100000000000"), ("Instruments:1:MaxPosition", "10000000000"), ("Instruments:1:MakerFeePpm", "-100"),
            ("Instruments:1:TakerFeePpm", "500"), ("Instruments:1:InitialMarginPpm", "150000"), ("Instruments:1:MaintenanceMarginPpm", "100000"),
            ("Instruments:1:BandPpm", "1000000"), ("Instruments:1:PremiumCapPpm", "0"), ("Instruments:1:FundingCapPpm", "0"),
            ("Instruments:1:Strike", "50000000000"), ("Circuit:Expiries", "1"),
        ];
        var none = new Hashtable();
        var options = Load(null, none, [.. call, ("Instruments:1:Expiry", "1800000000000")]);
        var listed = options.Circuit.Instruments[1];
        Assert.Equal((Validium.Exchange.InstrumentKind.Call, 100_000L, 1_800_000_000_000L), (listed.Kind, listed.StrikeTicks, listed.ExpiryMs));
        Assert.Equal((1, 3), (options.Circuit.Shape.Expiries, options.Circuit.PriceCount));
        var problems = Assert.Throws<NodeConfigurationException>(() => Load(null, none, [.. call, ("Instruments:1:Expiry", "1800000000001")])).Problems;
        Assert.Contains(problems, p => p.Contains("Instruments:1") && p.Contains("whole second"));
    }

    [Fact]
    public void TheDataDirectoryFromTheEnvironmentDecidesWhichAppSettingsIsRead()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(dir, "elsewhere")).FullName;
        File.WriteAllText(Path.Combine(elsewhere, NodeConfiguration.SettingsFile), """{ "Exchange": { "DepthLevels": 7 } }""");
        var options = NodeConfiguration.Load(null, new Dictionary<string, string?>(), new Hashtable { ["VLD_DATADIR"] = elsewhere });
        Assert.Equal((elsewhere, 7), (options.DataDir, options.DepthLevels));
    }

    [Fact]
    public void EveryBadSettingIsReportedOnceWithItsNameAndWhatIsWrong()
    {
        var env = new Hashtable { ["VLD_BATCHER__QUEUECAPACITY"] = "abc", ["VLD_ACCEL__MODE"] = "tpu" };
        var e = Assert.Throws<NodeConfigurationException>(() => Load(null, env,
            ("Committee:Threshold", "4"), ("Api:Urls", "ftp://x"), ("Instruments:0:TakerFeePpm", "-1"), ("Exchange:OperatorKey", "zz")));
        Assert.Equal(
        [
            "Api:Urls: 'ftp://x' is not an http(s) URL",
            "Accel:Mode: 'tpu' is not one of auto, cpu, gpu, fpga",
            "Committee:Threshold: 4 signatures from 3 members can never be met",
            "Instruments:0:TakerFeePpm: '-1' is outside 0..1000000",
            "Batcher:QueueCapacity: 'abc' is not a whole number",
            "Exchange:OperatorKey: 'zz' is not a packed BabyJubjub key (64 hex digits, as circomlibjs packPoint)",
        ], e.Problems);
        Assert.Contains("6 bad settings", e.Message);
    }

    [Fact]
    public void ThePostersFallbackIsOffWithAMinuteTimeoutByDefaultAndBadValuesAreNamed()
    {
        var none = new Hashtable();
        var defaults = Load(null, none).Poster;
        Assert.Equal(new PosterOptions(TimeSpan.FromSeconds(60), false), defaults);
        var env = new Hashtable { ["VLD_POSTER__ONCHAINDATAFALLBACK"] = "true" };
        Assert.Equal(new PosterOptions(TimeSpan.FromMilliseconds(1500), true), Load(null, env, ("Poster:AttestationTimeoutMs", "1500")).Poster);

        var e = Assert.Throws<NodeConfigurationException>(() => Load(null, none, ("Poster:AttestationTimeoutMs", "0"), ("Poster:OnChainDataFallback", "sometimes")));
        Assert.Equal(
        [
            "Poster:AttestationTimeoutMs: '0' is outside 1..2592000000",
            "Poster:OnChainDataFallback: 'sometimes' is not true or false",
        ], e.Problems);
        e = Assert.Throws<NodeConfigurationException>(() => Load(null, none, ("Poster:AttestationTimeoutMs", "a minute")));
        Assert.Equal("Poster:AttestationTimeoutMs: 'a minute' is not a whole number", Assert.Single(e.Problems));
    }

    [Fact]
    public void LiquidationSlotsGiveTheEngineTheCircuitsLiquidatorAndPenalty()
    {
        var none = new Hashtable();
        var defaults = Load(null, none);
        Assert.Equal((0, -1), (defaults.Circuit.Shape.Liquidations, defaults.Engine.LiquidatorAccount));

        var on = Load(null, none, ("Circuit:Liquidations", "2"), ("Circuit:LiquidatorAccount", "5"), ("Circuit:InsuranceAccount", "6"),
            ("Circuit:LiquidationPenaltyPpm", "150000"));
        Assert.Equal((2, 5UL, 6UL), (on.Circuit.Shape.Liquidations, on.Circuit.LiquidatorAccount, on.Circuit.InsuranceAccount));
        Assert.Equal((5, 150_000L), (on.Engine.LiquidatorAccount, on.Engine.LiquidationPenaltyPpm));

        var e = Assert.Throws<NodeConfigurationException>(() => Load(null, none, ("Circuit:Liquidations", "1"), ("Circuit:InsuranceAccount", "1")));
        Assert.Contains("Circuit: the liquidator and the insurance fund must be different accounts (both 1)", e.Problems);
    }

    [Fact]
    public void AMissingConfigFileAndACircuitTheInstrumentsDoNotFitAreRefused()
    {
        var missing = Assert.Throws<NodeConfigurationException>(() => Load(Path.Combine(dir, "nope.json"), []));
        Assert.Contains("no such file", Assert.Single(missing.Problems));
        var e = Assert.Throws<NodeConfigurationException>(() => Load(null, [], ("Circuit:FeeAccount", "1023"), ("Circuit:AccountDepth", "10")));
        Assert.Equal("Circuit: account 1023 holds the order-fill root and cannot collect fees", Assert.Single(e.Problems));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is not a test failure.
        }
    }
}
