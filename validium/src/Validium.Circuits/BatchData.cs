using System.Numerics;
using Validium.Circuits.Gadgets;
using Validium.Crypto;

namespace Validium.Circuits;

/// <summary>A deposit record of the batch data: the account the operator credited and the amount.</summary>
public sealed record DepositRecord(ulong Account, ulong Amount);

/// <summary>A trade record: the accounts, instrument and taker's side, price in ticks, size in lots, and both order hashes.</summary>
public sealed record TradeRecord(ulong Taker, ulong Maker, int Instrument, bool TakerSells, ulong Ticks, ulong Lots, Fr TakerOrderHash, Fr MakerOrderHash);

/// <summary>A withdrawal record: account, amount, L1 recipient and the nonce the account's key signed.</summary>
public sealed record WithdrawalRecord(ulong Account, ulong Amount, BigInteger Recipient, ulong Nonce);

/// <summary>
/// A forced-request record: a withdrawal (of <paramref name="AmountOrPrice"/> to recipient <paramref name="Y"/>) or a
/// trade (<paramref name="Lots"/> at <paramref name="AmountOrPrice"/> per lot with account B + instrument·2^64 in
/// <paramref name="Y"/>), and whether the state let it execute. Keys and trade sizes' signs are in the L1 event.
/// </summary>
public sealed record ForcedRecord(bool Trade, bool Executed, ulong Account, ulong AmountOrPrice, ulong Lots, bool ASells, BigInteger Y);

/// <summary>
/// A liquidation record: the liquidated account, the penalty it paid to the insurance fund and the deficit the fund
/// covered. The positions moved to the liquidator follow from the previous state and the round's prices.
/// </summary>
public sealed record LiquidationRecord(ulong Account, ulong Penalty, ulong Cover);

/// <summary>A funding tick record: the instrument, and the rate (ppm) and mark per lot the operator stated for it.</summary>
public sealed record FundingRecord(int Instrument, long RatePpm, ulong MarkPerLot);

/// <summary>An option expiry record: the holder, the option and the payout (size × intrinsic value per lot, signed).</summary>
public sealed record ExpiryRecord(ulong Account, int Instrument, long Payout);

/// <summary>
/// The batch data (CIRCUIT.md, "Batch data") read back into its records: what recovery replays. Slots whose words
/// are all zero were unused and are skipped; every other slot must carry its kind and fields within their ranges.
/// </summary>
public sealed record BatchData(ulong BatchNumber, ulong OracleRound, ulong OracleTimestamp,
    IReadOnlyList<DepositRecord> Deposits, IReadOnlyList<TradeRecord> Trades, IReadOnlyList<WithdrawalRecord> Withdrawals, IReadOnlyList<ForcedRecord> Forced,
    IReadOnlyList<LiquidationRecord> Liquidations)
{
    /// <summary>The funding ticks, by instrument (circuits with funding slots).</summary>
    public IReadOnlyList<FundingRecord> Funding { get; init; } = [];

    /// <summary>The accounts the funding settlement slots settled, in their (increasing) order.</summary>
    public IReadOnlyList<ulong> Settlements { get; init; } = [];

    /// <summary>The expiry records, first in the batch (CIRCUIT.md, "Expiry slots").</summary>
    public IReadOnlyList<ExpiryRecord> Expiries { get; init; } = [];

    private static readonly BigInteger Mask64 = ulong.MaxValue;

    /// <summary>How many words a batch of <paramref name="shape"/> has: a header, then each slot's fixed record.</summary>
    public static int WordCount(BatchShape shape) =>
        1 + shape.Deposits * BatchEncoding.DepositWords + shape.Trades * BatchEncoding.TradeWords + shape.Withdrawals * BatchEncoding.WithdrawalWords
        + shape.Forced * BatchEncoding.ForcedWords + shape.Liquidations * BatchEncoding.LiquidationWords + shape.Expiries * BatchEncoding.ExpiryWords;

    /// <summary>The funding section's words: one per instrument, one per settlement slot (none without funding slots).</summary>
    public static int FundingWordCount(CircuitConfig config) => config.Shape.Funding > 0 ? config.InstrumentCount + config.Shape.Funding : 0;

    /// <summary>Parses the committee's bytes (32-byte big-endian field words) for a circuit of <paramref name="config"/>; FormatException names the bad word.</summary>
    public static BatchData Decode(CircuitConfig config, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(config);
        Fr[] words;
        try
        {
            words = PoseidonSponge.FromBytes(bytes);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"batch data is not a sequence of 32-byte field elements: {e.Message}", e);
        }
        return Decode(config, words);
    }

    public static BatchData Decode(CircuitConfig config, ReadOnlySpan<Fr> words)
    {
        ArgumentNullException.ThrowIfNull(config);
        var shape = config.Shape;
        int expected = WordCount(shape) + FundingWordCount(config);
        if (words.Length != expected) throw new FormatException($"batch data has {words.Length} words; a batch of {shape} has {expected}");
        var header = words[0].ToBigInteger();
        if (header >> 192 != 0) throw new FormatException("word 0 (header) has bits above 192");
        int at = 1;
        var expiries = new List<ExpiryRecord>();
        for (int i = 0; i < shape.Expiries; i++, at += BatchEncoding.ExpiryWords)
        {
            if (AllZero(words.Slice(at, BatchEncoding.ExpiryWords))) continue;
            var w = words[at].ToBigInteger();
            Kind(w, BatchEncoding.ExpiryKind, at);
            if (w >> 136 != 0) throw new FormatException($"word {at} (expiry) has bits above the instrument");
            int instrument = (int)Field64(w, 72);
            if ((uint)instrument >= (uint)config.InstrumentCount || !config.Instruments[instrument].IsOption)
                throw new FormatException($"word {at} (expiry) names instrument {Field64(w, 72)}, not an option of the circuit's table");
            var payout = Arith.Decode(words[at + 1]);
            if (payout < long.MinValue || payout > long.MaxValue) throw new FormatException($"word {at + 1} (expiry payout) is not a signed 64-bit value");
            expiries.Add(new ExpiryRecord(Field64(w, 8), instrument, (long)payout));
        }
        var liquidations = new List<LiquidationRecord>();
        for (int i = 0; i < shape.Liquidations; i++, at++)
        {
            if (words[at].IsZero) continue;
            var w = words[at].ToBigInteger();
            Kind(w, BatchEncoding.LiquidationKind, at);
            liquidations.Add(new LiquidationRecord(Field64(w, 8), Field64(w, 72), Top64(w, 136, at)));
        }
        var (funding, settlements) = DecodeFunding(config, words, ref at);
        var deposits = new List<DepositRecord>();
        for (int i = 0; i < shape.Deposits; i++, at++)
        {
            if (words[at].IsZero) continue;
            var w = words[at].ToBigInteger();
            Kind(w, BatchEncoding.DepositKind, at);
            deposits.Add(new DepositRecord(Field64(w, 8), Top64(w, 72, at)));
        }
        var trades = new List<TradeRecord>();
        for (int i = 0; i < shape.Trades; i++, at += BatchEncoding.TradeWords)
        {
            if (AllZero(words.Slice(at, BatchEncoding.TradeWords))) continue;
            var w = words[at].ToBigInteger();
            Kind(w, BatchEncoding.TradeKind, at);
            if (w >> 153 != 0) throw new FormatException($"word {at} (trade) has bits above the taker's side");
            int instrument = (int)((w >> 136) & 0xFFFF);
            if (instrument >= config.InstrumentCount) throw new FormatException($"word {at} (trade) names instrument {instrument}, outside the circuit's {config.InstrumentCount}");
            var terms = words[at + 1].ToBigInteger();
            trades.Add(new TradeRecord(Field64(w, 8), Field64(w, 72), instrument, ((w >> 152) & 1) == 1,
                (ulong)(terms & Mask64), Top64(terms, 64, at + 1), words[at + 2], words[at + 3]));
        }
        var withdrawals = new List<WithdrawalRecord>();
        for (int i = 0; i < shape.Withdrawals; i++, at += BatchEncoding.WithdrawalWords)
        {
            if (AllZero(words.Slice(at, BatchEncoding.WithdrawalWords))) continue;
            var w = words[at].ToBigInteger();
            Kind(w, BatchEncoding.WithdrawalKind, at);
            var second = words[at + 1].ToBigInteger();
            withdrawals.Add(new WithdrawalRecord(Field64(w, 8), Top64(w, 72, at), second & (BatchEncoding.AddressLimit - 1), Top64(second, BatchEncoding.AddressBits, at + 1)));
        }
        var forced = new List<ForcedRecord>();
        for (int i = 0; i < shape.Forced; i++, at += BatchEncoding.ForcedWords)
        {
            if (AllZero(words.Slice(at, BatchEncoding.ForcedWords))) continue;
            forced.Add(ForcedRequest(words[at].ToBigInteger(), words[at + 1].ToBigInteger(), at));
        }
        return new BatchData((ulong)(header & Mask64), (ulong)((header >> 64) & Mask64), (ulong)(header >> 128), deposits, trades, withdrawals, forced, liquidations)
        {
            Funding = funding,
            Settlements = settlements,
            Expiries = expiries,
        };
    }

    private static (List<FundingRecord>, List<ulong>) DecodeFunding(CircuitConfig config, ReadOnlySpan<Fr> words, ref int at)
    {
        var funding = new List<FundingRecord>();
        var settlements = new List<ulong>();
        if (config.Shape.Funding == 0) return (funding, settlements);
        for (int j = 0; j < config.InstrumentCount; j++, at++)
        {
            if (words[at].IsZero) continue;
            var w = words[at].ToBigInteger();
            Kind(w, BatchEncoding.FundingKind, at);
            if ((int)((w >> 8) & 0xFF) != j) throw new FormatException($"word {at} (funding) names instrument {(int)((w >> 8) & 0xFF)} in instrument {j}'s place");
            var rate = (long)((w >> 16) & ((1 << 21) - 1)) - (1 << 20);
            if (((w >> 37) & ((BigInteger.One << 27) - 1)) != 0 || rate is < -1_000_000 or > 1_000_000) throw new FormatException($"word {at} (funding) has a rate outside ±10^6 ppm");
            funding.Add(new FundingRecord(j, rate, Top64(w, 64, at)));
        }
        for (int k = 0; k < config.Shape.Funding; k++, at++)
        {
            if (words[at].IsZero) continue;
            var w = words[at].ToBigInteger();
            Kind(w, BatchEncoding.SettlementKind, at);
            settlements.Add(Top64(w, 8, at));
        }
        return (funding, settlements);
    }

    private static ForcedRecord ForcedRequest(BigInteger w, BigInteger y, int at)
    {
        int kind = (int)(w & 0xFF);
        if (kind is not (BatchEncoding.ForcedWithdrawalKind or BatchEncoding.ForcedTradeKind))
            throw new FormatException($"word {at} has kind {kind} where its slot needs kind {BatchEncoding.ForcedWithdrawalKind} or {BatchEncoding.ForcedTradeKind}");
        bool trade = kind == BatchEncoding.ForcedTradeKind;
        if (((w >> 9) & 0x7F) != 0) throw new FormatException($"word {at} (forced request) has bits between the executed flag and the account");
        if (w >> (trade ? 209 : 144) != 0) throw new FormatException($"word {at} (forced {(trade ? "trade" : "withdrawal")}) has bits above its last field");
        // y is the L1 word's top field: a 160-bit recipient, or account B (64 bits) + instrument (32 bits)·2^64.
        if (y >> (trade ? 96 : BatchEncoding.AddressBits) != 0) throw new FormatException($"word {at + 1} (forced request's y) is wider than its L1 field");
        return new ForcedRecord(trade, ((w >> 8) & 1) == 1, Field64(w, 16), Field64(w, 80), Field64(w, 144), ((w >> 208) & 1) == 1, y);
    }

    private static bool AllZero(ReadOnlySpan<Fr> words)
    {
        foreach (var w in words)
            if (!w.IsZero) return false;
        return true;
    }

    private static void Kind(BigInteger w, int kind, int at)
    {
        if ((int)(w & 0xFF) != kind) throw new FormatException($"word {at} has kind {(int)(w & 0xFF)} where its slot needs kind {kind}");
    }

    private static ulong Field64(BigInteger w, int shift) => (ulong)((w >> shift) & Mask64);

    private static ulong Top64(BigInteger w, int shift, int at)
    {
        var v = w >> shift;
        return v <= Mask64 ? (ulong)v : throw new FormatException($"word {at} has a field at bit {shift} wider than 64 bits");
    }
}
