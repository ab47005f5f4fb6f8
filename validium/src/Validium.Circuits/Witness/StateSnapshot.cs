using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Validium.Crypto;
using Validium.Exchange;
using Validium.State;

namespace Validium.Circuits.Witness;

/// <summary>
/// What a node needs beside the state trees to go on building batches, in one JSON file: the circuit configuration,
/// the leaf preimages (<see cref="StateMirror"/>), and where the chain stood after the last batch (its number and root,
/// L1 operations consumed and the chain head there, the last oracle round). The trees themselves are the
/// <see cref="StateStore"/> beside it; <see cref="Root"/> ties the two together. Field elements are decimal strings.
/// </summary>
public sealed record StateSnapshot(CircuitConfig Config, StateMirror Mirror, ulong BatchNumber, Fr Root, ulong OpsProcessed, Fr OpsHead, ulong OracleRound)
{
    public const int FormatVersion = 1;

    public string ToJson()
    {
        var doc = new JsonObject
        {
            ["version"] = FormatVersion,
            ["config"] = ConfigJson(Config),
            ["batchNumber"] = BatchNumber,
            ["root"] = Root.ToString(),
            ["opsProcessed"] = OpsProcessed,
            ["opsHead"] = OpsHead.ToString(),
            ["oracleRound"] = OracleRound,
            ["accounts"] = new JsonArray([.. Mirror.Accounts.OrderBy(kv => kv.Key).Select(kv => (JsonNode)new JsonObject
            {
                ["account"] = kv.Key,
                ["ax"] = kv.Value.Key.X.ToString(),
                ["ay"] = kv.Value.Key.Y.ToString(),
                ["nonce"] = kv.Value.Nonce,
                ["collateral"] = kv.Value.Collateral,
                ["positions"] = new JsonArray([.. kv.Value.Positions.Select(p => (JsonNode)new JsonArray(p.Size, p.OpenNotional, p.FundingIndex))]),
            })]),
            ["fills"] = new JsonArray([.. Mirror.Fills.OrderBy(kv => kv.Key).Select(kv => (JsonNode)new JsonObject
            {
                ["slot"] = kv.Key,
                ["orderHash"] = kv.Value.OrderHash.ToString(),
                ["filled"] = kv.Value.FilledSize,
            })]),
        };
        if (Mirror.LastRoundTime != 0) doc["lastRoundTime"] = Mirror.LastRoundTime;
        if (Mirror.Funding is { } f)
            doc["funding"] = new JsonObject { ["index"] = new JsonArray([.. f.Index.Select(g => (JsonNode)g)]), ["lastTick"] = new JsonArray([.. f.LastTick.Select(t => (JsonNode)t)]) };
        return doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public static JsonObject ConfigJson(CircuitConfig c)
    {
        var json = BaseConfigJson(c);
        if (c.Shape.Expiries > 0) json["shape"]!["expiries"] = c.Shape.Expiries;
        // Written only for circuits with funding, expiry or liquidation slots, so the files of circuits without them stay as they were.
        if (c.Shape.Funding > 0)
        {
            json["shape"]!["funding"] = c.Shape.Funding;
            json["fundingPeriodSeconds"] = c.FundingPeriodSeconds;
            json["fundingCapsPpm"] = new JsonArray([.. c.FundingCapsPpm.Select(v => (JsonNode)v)]);
            json["premiumCapsPpm"] = new JsonArray([.. c.PremiumCapsPpm.Select(v => (JsonNode)v)]);
        }
        if (c.Shape.Liquidations > 0)
        {
            json["shape"]!["liquidations"] = c.Shape.Liquidations;
            json["liquidation"] = new JsonObject
            {
                ["liquidatorAccount"] = c.LiquidatorAccount, ["insuranceAccount"] = c.InsuranceAccount, ["penaltyPpm"] = c.LiquidationPenaltyPpm,
            };
        }
        return json;
    }

    private static JsonObject BaseConfigJson(CircuitConfig c) => new()
    {
        ["accountDepth"] = c.AccountDepth,
        ["positionsDepth"] = c.PositionsDepth,
        ["fillDepth"] = c.FillDepth,
        ["feeAccount"] = c.FeeAccount,
        ["shape"] = new JsonObject { ["deposits"] = c.Shape.Deposits, ["trades"] = c.Shape.Trades, ["withdrawals"] = c.Shape.Withdrawals, ["forced"] = c.Shape.Forced },
        ["instruments"] = new JsonArray([.. c.Instruments.Select(i =>
        {
            var json = new JsonObject
            {
                ["tickSize"] = i.TickSize, ["lotSize"] = i.LotSize, ["cashPerTickLot"] = i.CashPerTickLot, ["makerFeePpm"] = i.MakerFeePpm,
                ["takerFeePpm"] = i.TakerFeePpm, ["initialMarginPpm"] = i.InitialMarginPpm, ["maintenanceMarginPpm"] = i.MaintenanceMarginPpm,
            };
            // Perpetual entries keep the form files had before options existed.
            if (i.IsOption)
            {
                json["kind"] = i.Kind.ToString();
                json["strikeTicks"] = i.StrikeTicks;
                json["expiryMs"] = i.ExpiryMs;
            }
            return (JsonNode)json;
        })]),
    };

    /// <summary>A circuit configuration as <see cref="ConfigJson"/> writes it (also a snapshot's "config"); FormatException says what is wrong.</summary>
    public static CircuitConfig ReadConfig(JsonNode? node)
    {
        CircuitConfig config;
        try
        {
            var o = node?.AsObject() ?? throw new FormatException("it is missing");
            var shape = Obj(o, "shape");
            config = new CircuitConfig
            {
                AccountDepth = Int(o, "accountDepth"),
                PositionsDepth = Int(o, "positionsDepth"),
                FillDepth = Int(o, "fillDepth"),
                FeeAccount = UInt(o, "feeAccount"),
                // Files written before forced-request slots existed describe circuits without them.
                Shape = new BatchShape(Int(shape, "deposits"), Int(shape, "trades"), Int(shape, "withdrawals"), shape["forced"] is null ? 0 : Int(shape, "forced"),
                    shape["liquidations"] is null ? 0 : Int(shape, "liquidations"), shape["funding"] is null ? 0 : Int(shape, "funding"),
                    shape["expiries"] is null ? 0 : Int(shape, "expiries")),
                FundingPeriodSeconds = o["fundingPeriodSeconds"] is null ? 0 : Long(o, "fundingPeriodSeconds"),
                FundingCapsPpm = o["fundingCapsPpm"] is null ? [] : [.. Arr(o, "fundingCapsPpm").Select(n => n!.GetValue<int>())],
                PremiumCapsPpm = o["premiumCapsPpm"] is null ? [] : [.. Arr(o, "premiumCapsPpm").Select(n => n!.GetValue<int>())],
                Instruments = [.. Arr(o, "instruments").Select(n =>
                {
                    var i = n?.AsObject() ?? throw new FormatException("an instrument is null");
                    var kind = i["kind"] is null ? InstrumentKind.Perpetual
                        : Enum.TryParse<InstrumentKind>(i["kind"]!.GetValue<string>(), out var k) && Enum.IsDefined(k) && k != InstrumentKind.Perpetual ? k
                        : throw new FormatException($"instrument kind {i["kind"]} is not an option kind");
                    return new InstrumentParams(Long(i, "tickSize"), Long(i, "lotSize"), Long(i, "cashPerTickLot"), Int(i, "makerFeePpm"), Int(i, "takerFeePpm"),
                        Int(i, "initialMarginPpm"), Int(i, "maintenanceMarginPpm"), kind,
                        kind == InstrumentKind.Perpetual ? 0 : Long(i, "strikeTicks"), kind == InstrumentKind.Perpetual ? 0 : Long(i, "expiryMs"));
                })],
            };
            if (config.Shape.Liquidations > 0)
            {
                var l = Obj(o, "liquidation");
                config = config with
                {
                    LiquidatorAccount = UInt(l, "liquidatorAccount"), InsuranceAccount = UInt(l, "insuranceAccount"), LiquidationPenaltyPpm = Long(l, "penaltyPpm"),
                };
            }
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException or FormatException)
        {
            throw new FormatException($"circuit configuration: {e.Message}", e);
        }
        return config.Validate() is { } err ? throw new FormatException($"circuit configuration: {err}") : config;
    }

    public static StateSnapshot FromJson(string json)
    {
        try
        {
            var o = JsonNode.Parse(json)?.AsObject() ?? throw new FormatException("the snapshot is null");
            if (Int(o, "version") != FormatVersion) throw new FormatException($"snapshot version {Int(o, "version")}; this build reads version {FormatVersion}");
            var config = ReadConfig(o["config"]);
            var mirror = new StateMirror();
            foreach (var n in Arr(o, "accounts"))
            {
                var a = n?.AsObject() ?? throw new FormatException("an account is null");
                var positions = Arr(a, "positions").Select(p =>
                {
                    var t = p?.AsArray() ?? throw new FormatException("a position is null");
                    return t.Count == 3 ? new PositionLeaf(t[0]!.GetValue<long>(), t[1]!.GetValue<long>(), t[2]!.GetValue<long>()) : throw new FormatException("a position is [size, notional, funding]");
                }).ToImmutableArray();
                if (positions.Length != config.InstrumentCount) throw new FormatException($"account {UInt(a, "account")} has {positions.Length} positions for {config.InstrumentCount} instruments");
                mirror.SetAccount(UInt(a, "account"), new AccountData(new BabyJubjubPoint(Field(a, "ax"), Field(a, "ay")), UInt(a, "nonce"), Long(a, "collateral"), positions));
            }
            foreach (var n in Arr(o, "fills"))
            {
                var f = n?.AsObject() ?? throw new FormatException("a fill is null");
                mirror.SetFill(UInt(f, "slot"), new OrderFillLeaf(Field(f, "orderHash"), UInt(f, "filled")));
            }
            if (o["funding"] is JsonObject funding)
            {
                mirror.Funding = new FundingState([.. Arr(funding, "index").Select(n => n!.GetValue<long>())], [.. Arr(funding, "lastTick").Select(n => n!.GetValue<ulong>())]);
                if (mirror.Funding.Validate(config.InstrumentCount) is { } err) throw new FormatException(err);
            }
            if (o["lastRoundTime"] is not null) mirror.LastRoundTime = UInt(o, "lastRoundTime");
            return new StateSnapshot(config, mirror, UInt(o, "batchNumber"), Field(o, "root"), UInt(o, "opsProcessed"), Field(o, "opsHead"), UInt(o, "oracleRound"));
        }
        catch (Exception e) when (e is InvalidOperationException or JsonException)
        {
            throw new FormatException($"not a state snapshot: {e.Message}", e);
        }
    }

    /// <summary>Refuses a snapshot whose leaves are not the store's: every mirrored account must hash to the store's leaf and the roots must agree.</summary>
    public void CheckAgainst(StateStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var accounts = store.Tree(TreeId.Accounts, Config.AccountDepth);
        if (accounts.Root != Root) throw new InvalidDataException($"the state database's root {accounts.Root} is not the snapshot's {Root}");
        foreach (var (id, data) in Mirror.Accounts)
            if (accounts.Get(id) != data.Leaf(Config.PositionsDepth).Hash()) throw new InvalidDataException($"account {id}'s leaf in the state database is not the snapshot's");
    }

    private static JsonObject Obj(JsonObject o, string name) => o[name]?.AsObject() ?? throw new FormatException($"'{name}' is missing");

    private static JsonArray Arr(JsonObject o, string name) => o[name]?.AsArray() ?? throw new FormatException($"'{name}' is missing");

    private static JsonNode Val(JsonObject o, string name) => o[name] ?? throw new FormatException($"'{name}' is missing");

    private static int Int(JsonObject o, string name) => Val(o, name).GetValue<int>();

    private static long Long(JsonObject o, string name) => Val(o, name).GetValue<long>();

    private static ulong UInt(JsonObject o, string name) => Val(o, name).GetValue<ulong>();

    private static Fr Field(JsonObject o, string name) =>
        Fr.TryParse(Val(o, name).GetValue<string>(), out var f) ? f : throw new FormatException($"'{name}' is not a decimal field element");
}
