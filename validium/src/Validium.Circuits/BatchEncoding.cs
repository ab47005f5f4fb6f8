using System.Numerics;
using Validium.Crypto;

namespace Validium.Circuits;

/// <summary>
/// The hashes and packings the circuit recomputes, here outside it: the L1-operations chain and oracle commitment the
/// contract computes (its SPEC.md), the withdrawals commitment it checks, the signed withdrawal message, and the
/// batch data the committee stores with its commitment. CIRCUIT.md states each; the circuit's copies are in-circuit.
/// </summary>
public static class BatchEncoding
{
    public const int DepositKind = 1;
    public const int TradeKind = 2;
    public const int WithdrawalKind = 3;
    public const int ForcedWithdrawalKind = 4;
    public const int ForcedTradeKind = 5;
    public const int LiquidationKind = 6;
    public const int FundingKind = 7;
    public const int SettlementKind = 8;
    public const int ExpiryKind = 9;

    /// <summary>The contract's L1-operation kinds (SPEC.md), a different numbering from the batch data's records.</summary>
    public const int L1Deposit = 1, L1ForcedWithdrawal = 2, L1ForcedTrade = 3;

    public const int DepositWords = 1;
    public const int TradeWords = 4;
    public const int WithdrawalWords = 2;
    public const int ForcedWords = 2;
    public const int LiquidationWords = 1;
    public const int ExpiryWords = 2;

    /// <summary>Recipients and depositors are Ethereum addresses.</summary>
    public const int AddressBits = 160;

    public static readonly BigInteger AddressLimit = BigInteger.One << AddressBits;

    /// <summary>The contract's deposit word: kind 1, account field 0, the depositor's address at bit 72.</summary>
    public static Fr DepositL1Word(BigInteger depositor)
    {
        CheckAddress(depositor, nameof(depositor));
        return Fr.FromBigInteger(DepositKind + (depositor << 72));
    }

    /// <summary>The contract's forced-withdrawal word: kind 2, the account at bit 8, the recipient at bit 72.</summary>
    public static Fr ForcedWithdrawalL1Word(ulong account, BigInteger recipient)
    {
        CheckAddress(recipient, nameof(recipient));
        return Fr.FromBigInteger(L1ForcedWithdrawal + ((BigInteger)account << 8) + (recipient << 72));
    }

    /// <summary>The contract's forced-trade word: kind 3, account A at bit 8, then account B + instrument·2^64 at bit 72.</summary>
    public static Fr ForcedTradeL1Word(ulong accountA, ulong accountB, uint instrument) =>
        Fr.FromBigInteger(L1ForcedTrade + ((BigInteger)accountA << 8) + (((BigInteger)accountB + ((BigInteger)instrument << 64)) << 72));

    /// <summary>The forced trade's a: Poseidon(AxA, AyA, AxB, AyB) of the keys both requesters signed with.</summary>
    public static Fr ForcedTradeKeys(BabyJubjubPoint a, BabyJubjubPoint b) => Poseidon.Hash([a.X, a.Y, b.X, b.Y]);

    /// <summary>One step of the contract's L1-operations chain: head' = Poseidon(head, word, a, b, c).</summary>
    public static Fr ChainL1(Fr head, Fr word, Fr a, Fr b, Fr c) => Poseidon.Hash([head, word, a, b, c]);

    /// <summary>
    /// PriceOracle.commit: acc = round·2^64 + timestamp, prices packed three to a word from the low end, then
    /// acc = Poseidon(acc, w[4k..4k+3]) per group of four words, the last group zero-padded.
    /// </summary>
    public static Fr OracleCommitment(ulong round, ulong timestamp, IReadOnlyList<ulong> prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        if (prices.Count == 0) throw new ArgumentException("the oracle commits at least one price", nameof(prices));
        for (int i = 0; i < prices.Count; i++)
            if (prices[i] == 0) throw new ArgumentException($"price {i} is zero; the oracle refuses zero prices", nameof(prices));
        var acc = Fr.FromBigInteger(((BigInteger)round << 64) + timestamp);
        var words = PriceWords(prices);
        for (int k = 0; k < words.Length; k += 4)
        {
            var inputs = new Fr[5];
            inputs[0] = acc;
            for (int j = 0; j < 4 && k + j < words.Length; j++) inputs[1 + j] = words[k + j];
            acc = Poseidon.Hash(inputs);
        }
        return acc;
    }

    private static Fr[] PriceWords(IReadOnlyList<ulong> prices)
    {
        var words = new Fr[(prices.Count + 2) / 3];
        for (int j = 0; j < words.Length; j++)
        {
            BigInteger w = 0;
            for (int m = 0; m < 3 && 3 * j + m < prices.Count; m++) w += (BigInteger)prices[3 * j + m] << (64 * m);
            words[j] = Fr.FromBigInteger(w);
        }
        return words;
    }

    /// <summary>The contract's withdrawals commitment: w = 0, then w = Poseidon(w, amount·2^160 + recipient) per withdrawal.</summary>
    public static Fr WithdrawalsCommitment(IEnumerable<(BigInteger Recipient, ulong Amount)> withdrawals)
    {
        var w = Fr.Zero;
        foreach (var (recipient, amount) in withdrawals) w = Poseidon.Hash(w, WithdrawalEntry(recipient, amount));
        return w;
    }

    public static Fr WithdrawalEntry(BigInteger recipient, ulong amount)
    {
        CheckAddress(recipient, nameof(recipient));
        if (amount == 0) throw new ArgumentException("a withdrawal moves a positive amount", nameof(amount));
        return Fr.FromBigInteger(((BigInteger)amount << AddressBits) + recipient);
    }

    /// <summary>What an account's key signs to withdraw: Poseidon(11, account, nonce, amount, recipient); 11 is CommandKind.Withdraw.</summary>
    public static Fr WithdrawalMessage(ulong account, ulong nonce, ulong amount, BigInteger recipient)
    {
        CheckAddress(recipient, nameof(recipient));
        return Poseidon.Hash([(ulong)Exchange.CommandKind.Withdraw, account, nonce, amount, Fr.FromBigInteger(recipient)]);
    }

    /// <summary>The batch data's first word: batch number, oracle round and oracle timestamp, 64 bits each.</summary>
    public static Fr HeaderWord(ulong batchNumber, ulong round, ulong timestamp) =>
        Fr.FromBigInteger(batchNumber + ((BigInteger)round << 64) + ((BigInteger)timestamp << 128));

    public static Fr DepositDataWord(ulong account, ulong amount) =>
        Fr.FromBigInteger(DepositKind + ((BigInteger)account << 8) + ((BigInteger)amount << 72));

    public static Fr[] TradeDataWords(ulong taker, ulong maker, int instrument, bool takerSells, ulong ticks, ulong lots, Fr takerOrderHash, Fr makerOrderHash) =>
    [
        Fr.FromBigInteger(TradeKind + ((BigInteger)taker << 8) + ((BigInteger)maker << 72) + ((BigInteger)instrument << 136) + ((takerSells ? BigInteger.One : 0) << 152)),
        Fr.FromBigInteger(ticks + ((BigInteger)lots << 64)),
        takerOrderHash,
        makerOrderHash,
    ];

    public static Fr[] WithdrawalDataWords(ulong account, ulong amount, BigInteger recipient, ulong nonce) =>
    [
        Fr.FromBigInteger(WithdrawalKind + ((BigInteger)account << 8) + ((BigInteger)amount << 72)),
        Fr.FromBigInteger(recipient + ((BigInteger)nonce << AddressBits)),
    ];

    /// <summary>
    /// A forced request's record: kind (4 withdrawal, 5 trade) + executed·2^8 + account·2^16 + amount-or-price·2^80, and for a
    /// trade + lots·2^144 + (A sells)·2^208; then the word's y (recipient, or account B + instrument·2^64). With the
    /// L1 event and the previous state this says what the request did; a refused one changes nothing.
    /// </summary>
    public static Fr[] ForcedDataWords(bool trade, bool executed, ulong account, ulong amountOrPrice, ulong lots, bool aSells, BigInteger y) =>
    [
        Fr.FromBigInteger((trade ? ForcedTradeKind : ForcedWithdrawalKind) + ((executed ? BigInteger.One : 0) << 8) + ((BigInteger)account << 16)
            + ((BigInteger)amountOrPrice << 80) + (trade ? ((BigInteger)lots << 144) + ((aSells ? BigInteger.One : 0) << 208) : 0)),
        Fr.FromBigInteger(y),
    ];

    /// <summary>A liquidation's record: kind 6 + account·2^8 + penalty·2^72 + cover·2^136 (the deficit the insurance fund covered).</summary>
    public static Fr LiquidationDataWord(ulong account, ulong penalty, ulong cover) =>
        Fr.FromBigInteger(LiquidationKind + ((BigInteger)account << 8) + ((BigInteger)penalty << 72) + ((BigInteger)cover << 136));

    /// <summary>A funding tick's record: kind 7 + instrument·2^8 + (rate + 2^20)·2^16 + mark·2^64, the rate in ppm (|rate| ≤ 10^6), the mark per lot.</summary>
    public static Fr FundingDataWord(int instrument, long ratePpm, ulong markPerLot)
    {
        if (ratePpm is < -1_000_000 or > 1_000_000) throw new ArgumentOutOfRangeException(nameof(ratePpm), "a funding rate is within ±10^6 ppm");
        return Fr.FromBigInteger(FundingKind + ((BigInteger)instrument << 8) + ((BigInteger)(ratePpm + (1 << 20)) << 16) + ((BigInteger)markPerLot << 64));
    }

    /// <summary>A funding settlement's record: kind 8 + account·2^8; the payments follow from the state and the ticks.</summary>
    public static Fr SettlementDataWord(ulong account) => Fr.FromBigInteger(SettlementKind + ((BigInteger)account << 8));

    private static void CheckAddress(BigInteger a, string name)
    {
        if (a.Sign < 0 || a >= AddressLimit) throw new ArgumentOutOfRangeException(name, "an address is a 160-bit unsigned number");
    }

    /// <summary>An expiry record: kind 7, account, instrument; then the signed payout.</summary>
    public static Fr[] ExpiryDataWords(ulong account, int instrument, long payout) =>
        [Fr.FromBigInteger(ExpiryKind + ((BigInteger)account << 8) + ((BigInteger)instrument << 72)), State.FieldEncoding.Signed(payout)];
}
