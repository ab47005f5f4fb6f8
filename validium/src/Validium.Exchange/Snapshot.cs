using Validium.Crypto;

namespace Validium.Exchange;

/// <summary>
/// Canonical snapshot: only committed state, in a fixed order (accounts by id, orders by book position), little-endian.
/// Derived figures (margins, reserves) are recomputed on restore. The state hash is Keccak-256 of these bytes, so a
/// restored engine hashes identically and replays identically.
/// </summary>
public sealed partial class Engine
{
    private const uint Magic = 0x58444C56; // "VLDX"
    private const int Version = 1;

    public byte[] Snapshot()
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms))
        {
            w.Write(Magic);
            w.Write(Version);
            w.Write(Config.MaxAccounts);
            w.Write(Config.OrderCapacity);
            w.Write(shocks.Length);
            foreach (var s in shocks) w.Write(s);
            w.Write(Config.ScenarioInitialMultiplierPpm);
            w.Write(Config.LiquidationPenaltyPpm);
            w.Write(Config.LiquidatorAccount);
            foreach (var v in (long[])[Time, Sequence, orderSeq, FeePool, InsuranceFund, TotalDeposits, TotalWithdrawals]) w.Write(v);

            w.Write(markets.Count);
            foreach (var m in markets) WriteMarket(w, m);

            Span<byte> key = stackalloc byte[32];
            w.Write(accounts.Count(a => a is not null));
            foreach (var a in accounts)
            {
                if (a is null) continue;
                w.Write(a.Id);
                a.Key.X.WriteBigEndian(key);
                w.Write(key);
                a.Key.Y.WriteBigEndian(key);
                w.Write(key);
                w.Write(a.Nonce);
                w.Write(a.Collateral);
                int n = 0;
                for (int i = 0; i < a.Exposures.Length; i++) if (a.Exposures[i].Lots != 0) n++;
                w.Write(n);
                for (int i = 0; i < a.Exposures.Length; i++)
                {
                    var x = a.Exposures[i];
                    if (x.Lots == 0) continue;
                    w.Write(i);
                    w.Write(x.Lots);
                    w.Write(x.Cost);
                    w.Write(x.FundingIndex);
                }
            }

            foreach (var m in markets)
                foreach (var side in (Side[])[Side.Buy, Side.Sell])
                {
                    int count = 0;
                    for (long t = m.Book.Best(side); t >= 0; t = m.Book.NextLevel(side, t)) count += m.Book.LevelAt(t).Count;
                    w.Write(count);
                    for (long t = m.Book.Best(side); t >= 0; t = m.Book.NextLevel(side, t))
                        for (int n = m.Book.LevelAt(t).Head; n != OrderPool.Nil; n = pool.Nodes[n].Next)
                        {
                            ref var o = ref pool.Nodes[n];
                            w.Write(o.OrderId);
                            w.Write(o.Account);
                            w.Write(o.ClientId);
                            w.Write(o.PriceTicks);
                            w.Write(o.Lots);
                            w.Write(o.FilledLots);
                            w.Write(o.ExpiresAt);
                            w.Write(o.PostOnly);
                            w.Write((byte)o.Stp);
                        }
                }
        }
        return ms.ToArray();
    }

    public byte[] StateHash() => Keccak256.Hash(Snapshot());

    private static void WriteMarket(BinaryWriter w, Market m)
    {
        var s = m.Spec;
        w.Write((byte)s.Kind);
        w.Write(s.Underlying);
        foreach (var v in (long[])[s.Strike, s.Expiry, s.TickSize, s.LotSize, s.MinQuantity, s.MaxQuantity, s.MaxPrice, s.MaxPosition]) w.Write(v);
        foreach (var v in (int[])[s.QuantityDecimals, s.MakerFeePpm, s.TakerFeePpm, s.InitialMarginPpm, s.MaintenanceMarginPpm, s.BandPpm, s.PremiumCapPpm, s.FundingCapPpm]) w.Write(v);
        foreach (var v in (long[])[m.IndexTicks, m.MarkTicks, m.DeltaPpm, m.GammaPpm, m.FundingIndex, m.PremiumSumPpm, m.PremiumSamples]) w.Write(v);
        w.Write(m.Expired);
    }

    private static InstrumentSpec ReadSpec(BinaryReader r)
    {
        var kind = (InstrumentKind)r.ReadByte();
        int underlying = r.ReadInt32();
        var l = new long[8];
        for (int i = 0; i < l.Length; i++) l[i] = r.ReadInt64();
        var n = new int[8];
        for (int i = 0; i < n.Length; i++) n[i] = r.ReadInt32();
        return new InstrumentSpec
        {
            Kind = kind, Underlying = underlying, Strike = l[0], Expiry = l[1], TickSize = l[2], LotSize = l[3], MinQuantity = l[4],
            MaxQuantity = l[5], MaxPrice = l[6], MaxPosition = l[7], QuantityDecimals = n[0], MakerFeePpm = n[1], TakerFeePpm = n[2],
            InitialMarginPpm = n[3], MaintenanceMarginPpm = n[4], BandPpm = n[5], PremiumCapPpm = n[6], FundingCapPpm = n[7],
        };
    }

    /// <summary>Rebuilds an engine from <see cref="Snapshot"/> bytes; malformed input raises <see cref="FormatException"/>.</summary>
    public static Engine Restore(byte[] snapshot, EventLog? events = null)
    {
        try
        {
            return RestoreCore(snapshot, events);
        }
        catch (Exception ex) when (ex is EndOfStreamException or ArgumentException or IndexOutOfRangeException or InvalidOperationException)
        {
            throw new FormatException($"not a valid exchange snapshot: {ex.Message}", ex);
        }
    }

    private static Engine RestoreCore(byte[] snapshot, EventLog? events)
    {
        var r = new BinaryReader(new MemoryStream(snapshot));
        if (r.ReadUInt32() != Magic || r.ReadInt32() != Version) throw new FormatException("not an exchange snapshot (magic or version)");
        int maxAccounts = r.ReadInt32(), orderCapacity = r.ReadInt32();
        var shocks = new long[Check(r.ReadInt32(), 32)];
        for (int i = 0; i < shocks.Length; i++) shocks[i] = r.ReadInt64();
        var config = new EngineConfig
        {
            MaxAccounts = maxAccounts, OrderCapacity = orderCapacity, ScenarioShocksPpm = shocks, ScenarioInitialMultiplierPpm = r.ReadInt64(),
            LiquidationPenaltyPpm = r.ReadInt64(), LiquidatorAccount = r.ReadInt32(),
        };
        var e = new Engine(config, events);
        e.Time = r.ReadInt64();
        e.Sequence = r.ReadInt64();
        e.orderSeq = r.ReadInt64();
        e.FeePool = r.ReadInt64();
        e.InsuranceFund = r.ReadInt64();
        e.TotalDeposits = r.ReadInt64();
        e.TotalWithdrawals = r.ReadInt64();

        int marketCount = Check(r.ReadInt32(), Limits.MaxInstruments);
        for (int i = 0; i < marketCount; i++)
        {
            var spec = ReadSpec(r);
            if (spec.Validate() is { } err) throw new FormatException($"instrument {i}: {err}");
            var m = new Market(i, spec, shocks.Length)
            {
                IndexTicks = r.ReadInt64(), MarkTicks = r.ReadInt64(), DeltaPpm = r.ReadInt64(), GammaPpm = r.ReadInt64(),
                FundingIndex = r.ReadInt64(), PremiumSumPpm = r.ReadInt64(), PremiumSamples = r.ReadInt64(), Expired = r.ReadBoolean(),
            };
            e.markets.Add(m);
        }

        int accountCount = Check(r.ReadInt32(), maxAccounts);
        for (int i = 0; i < accountCount; i++)
        {
            int id = Check(r.ReadInt32(), maxAccounts - 1);
            var key = new BabyJubjubPoint(Fr.ReadBigEndian(r.ReadBytes(32)), Fr.ReadBigEndian(r.ReadBytes(32)));
            if (e.accounts[id] is not null) throw new FormatException($"account {id} appears twice");
            var a = e.accounts[id] = new Account(id, key, marketCount, shocks.Length) { Nonce = r.ReadInt64(), Collateral = r.ReadInt64() };
            int n = Check(r.ReadInt32(), marketCount);
            for (int j = 0; j < n; j++)
            {
                ref var x = ref a.Exp(Check(r.ReadInt32(), marketCount - 1));
                x.Lots = r.ReadInt64();
                x.Cost = r.ReadInt64();
                x.FundingIndex = r.ReadInt64();
            }
        }

        foreach (var m in e.markets)
            foreach (var side in (Side[])[Side.Buy, Side.Sell])
            {
                int count = Check(r.ReadInt32(), 1 << 26);
                for (int j = 0; j < count; j++) e.RestoreOrder(r, m, side);
            }
        if (r.BaseStream.Position != snapshot.Length) throw new FormatException("trailing bytes after the snapshot");
        foreach (var m in e.markets)
        {
            e.groups[m.Spec.Underlying].Add(m);
            e.RefreshRiskFigures(m);
        }
        e.RecomputeAll();
        e.RebuildIndexes();
        return e;
    }

    private void RestoreOrder(BinaryReader r, Market m, Side side)
    {
        long orderId = r.ReadInt64();
        var acc = AccountOrNull(r.ReadInt32()) ?? throw new FormatException("order of an unknown account");
        long clientId = r.ReadInt64();
        if (orderMap.TryGet(acc.Id, clientId, out _)) throw new FormatException("duplicate client order id");
        int n = pool.Allocate();
        ref var o = ref pool.Nodes[n];
        o.OrderId = orderId;
        o.Account = acc.Id;
        o.ClientId = clientId;
        o.PriceTicks = r.ReadInt64();
        o.Lots = r.ReadInt64();
        o.FilledLots = r.ReadInt64();
        o.ExpiresAt = r.ReadInt64();
        o.PostOnly = r.ReadBoolean();
        o.Stp = (SelfTradePrevention)r.ReadByte();
        o.Instrument = m.Id;
        o.Side = side;
        if (o.PriceTicks < 1 || o.PriceTicks > m.Spec.MaxPriceTicks || o.Lots <= 0 || orderId <= 0 || orderId > orderSeq)
            throw new FormatException("order out of range");
        o.AccPrev = OrderPool.Nil;
        o.AccNext = acc.OrderHead;
        if (acc.OrderHead != OrderPool.Nil) pool.Nodes[acc.OrderHead].AccPrev = n;
        acc.OrderHead = n;
        acc.OrderCount++;
        m.Book.Append(pool.Nodes, n);
        orderMap.Add(acc.Id, clientId, n);
        ref var x = ref acc.Exp(m.Id);
        if (side == Side.Buy) x.BuyLots += o.Lots;
        else x.SellLots += o.Lots;
    }

    private static int Check(int v, int max) => v >= 0 && v <= max ? v : throw new FormatException($"count {v} out of range 0..{max}");
}
