using System.Numerics;
using Validium.Circuits.Gadgets;
using Validium.Crypto;
using Validium.Proving.Circuit;
using Validium.Proving.Gadgets;
using Validium.State;

namespace Validium.Circuits;

/// <summary>
/// The batch validity circuit (CIRCUIT.md). Eight public inputs in the contract's order, then the batch in fixed
/// sections: the oracle round, option expiries, liquidations, L1 deposits in queue order, trades, the fee credit, withdrawals, L1 forced requests (the
/// queue's next operations after the deposits), the fill-tree root's
/// leaf; finally the data commitment over every section's words. Each section threads the running roots, chain heads and words.
/// </summary>
public sealed partial class BatchCircuit(CircuitConfig config) : CircuitDefinition
{
    public CircuitConfig Config { get; } = config.Checked();

    /// <summary>The public inputs, in the order the contract passes them (Validium.sol publicInputs).</summary>
    public static readonly string[] PublicInputNames =
        ["oldRoot", "newRoot", "dataCommitment", "opsHeadBefore", "opsHeadAfter", "oracleCommitment", "withdrawalsCommitment", "batchNumber"];

    /// <summary>What every section reads and advances.</summary>
    private sealed class Running
    {
        public required Variable AccountsRoot, FillRoot, OpsHead, Withdrawals;
        public Variable FeeSum;
        public required Variable[] Prices;
        public required Variable OracleSeconds;
        /// <summary>The round's option figures; null when the table has no option.</summary>
        public OptionMargin? Options;
        /// <summary>Per instrument, whether it still trades at the round (BatchCircuit.Options LiveFlags); computed on first use.</summary>
        public Variable[]? Live;
        /// <summary>The lots held long per instrument as the sections leave them; null when the circuit carries none.</summary>
        public Variable[]? OpenInterest;
        public readonly List<Variable> Words = [];
    }

    public override void Define(ICircuitApi api)
    {
        var pub = PublicInputNames.Select(api.PublicInput).ToArray();
        var (oldRoot, newRoot, dataCommitment, opsHeadBefore, opsHeadAfter, oracleCommitment, withdrawalsCommitment, batchNumber) =
            (pub[0], pub[1], pub[2], pub[3], pub[4], pub[5], pub[6], pub[7]);
        var top = new Inputs(api, "");

        var fillRoot = top["fillRoot"];
        var (allPrices, round, seconds) = Oracle(api, top.Sub("oracle"), oracleCommitment);
        var prices = allPrices[..Config.InstrumentCount];
        var s = new Running { AccountsRoot = oldRoot, FillRoot = fillRoot, OpsHead = opsHeadBefore, Withdrawals = Fr.Zero, Prices = prices, OracleSeconds = seconds };
        s.Words.Add(api.Add(api.Add(batchNumber, api.Mul(round, Pow2(64))), api.Mul(seconds, Pow2(128))));
        if (Config.OptionCount > 0)
            using (api.Scope("option figures"))
                s.Options = OptionMargin.Compute(api, Config, prices, allPrices[Config.InstrumentCount..]);
        var startingInterest = Config.CarriesOpenInterest ? top.Sub("fillLeaf").Many("openInterest", Config.InstrumentCount) : null;
        s.OpenInterest = startingInterest is null ? null : [.. startingInterest];
        ExpiryWords? startingExpiry = null;
        var settledNet = new Variable[Config.InstrumentCount];
        if (Config.Shape.Expiries > 0)
        {
            var leafInputs = top.Sub("fillLeaf");
            startingExpiry = new ExpiryWords(leafInputs.Many("shortInterest", Config.OptionCount), leafInputs["lastRound"]);
            AssertEarlierExpiriesSettled(api, s, startingInterest!, startingExpiry);
            for (int i = 0; i < Config.Shape.Expiries; i++)
                using (api.Scope($"expiry {i}")) Expiry(api, top.Sub($"expiry[{i}]"), s, settledNet);
        }
        if (Config.Shape.Liquidations > 0) Liquidations(api, top, s);
        var funding = Config.Shape.Funding > 0 ? Funding(api, top, s) : null;

        for (int i = 0; i < Config.Shape.Deposits; i++)
            using (api.Scope($"deposit {i}")) Deposit(api, top.Sub($"deposit[{i}]"), s);
        for (int i = 0; i < Config.Shape.Trades; i++)
            using (api.Scope($"trade {i}")) Trade(api, top.Sub($"trade[{i}]"), s);
        using (api.Scope("fee credit")) FeeCredit(api, top.Sub("fee"), s);
        for (int i = 0; i < Config.Shape.Withdrawals; i++)
            using (api.Scope($"withdrawal {i}")) Withdrawal(api, top.Sub($"withdrawal[{i}]"), s);
        for (int i = 0; i < Config.Shape.Forced; i++)
            using (api.Scope($"forced {i}")) Forced(api, top.Sub($"forced[{i}]"), s);

        using (api.Scope("fill root leaf"))
            api.AssertEqual(FillRootLeaf(api, top.Sub("fillLeaf"), fillRoot, s,
                startingInterest is null ? null : ReservedWords(startingInterest, funding?.OldLast, funding?.OldIndex, startingExpiry),
                s.OpenInterest is null ? null : ReservedWords(s.OpenInterest, funding?.NewLast, funding?.NewIndex,
                    startingExpiry is null ? null : ExpiryWordsAfter(api, s, startingInterest!, startingExpiry, settledNet))), newRoot);
        using (api.Scope("L1 operations"))
            api.AssertEqual(s.OpsHead, opsHeadAfter);
        using (api.Scope("withdrawals commitment"))
            api.AssertEqual(s.Withdrawals, withdrawalsCommitment);
        using (api.Scope("data commitment"))
            api.AssertEqual(DataCommitment(api, s.Words), dataCommitment);
    }

    /// <summary>
    /// The account tree's last index holds the order-fill tree's root (0 while that tree is empty), so the one root the
    /// contract keeps commits to both trees and the genesis state is the contract's empty account tree. No operation
    /// may name this index, and no account leaf can open to it (that would take a Poseidon preimage).
    /// </summary>
    public static ulong FillRootIndex(int accountDepth) => accountDepth == 64 ? ulong.MaxValue : (1UL << accountDepth) - 1;

    /// <summary>What the reserved leaf holds for a fill-tree root.</summary>
    public static Fr FillRootLeafValue(Fr fillRoot, int fillDepth) => fillRoot == ZeroHashes.EmptyRoot(fillDepth) ? Fr.Zero : fillRoot;

    /// <summary>
    /// Proves the batch's starting fill root (and funding state and open interest, with funding or expiry slots: the
    /// words) in the reserved leaf of the final account tree (no operation can have changed that leaf, so it was there
    /// at the start too) and returns the account root with the new fill root (and words) in it.
    /// </summary>
    private Variable FillRootLeaf(ICircuitApi api, Inputs i, Variable fillRoot, Running s, Variable[]? oldWords, Variable[]? newWords)
    {
        var siblings = i.Many("siblings", Config.AccountDepth);
        var bits = ConstantBits(FillRootIndex(Config.AccountDepth), Config.AccountDepth);
        var empty = ZeroHashes.EmptyRoot(Config.FillDepth);
        var oldLeaf = ReservedLeaf(api, api.Mul(api.Sub(Fr.One, api.IsZero(api.Sub(fillRoot, empty))), fillRoot), oldWords);
        AccountGadget.AssertInTree(api, Fr.One, s.AccountsRoot, oldLeaf, siblings, bits);
        var newLeaf = ReservedLeaf(api, api.Mul(api.Sub(Fr.One, api.IsZero(api.Sub(s.FillRoot, empty))), s.FillRoot), newWords);
        return AccountGadget.Replace(api, Fr.One, s.AccountsRoot, newLeaf, siblings, bits);
    }

    private static Variable[] ConstantBits(ulong index, int depth)
    {
        var bits = new Variable[depth];
        for (int l = 0; l < depth; l++) bits[l] = (index >> l & 1) == 1 ? Fr.One : Fr.Zero;
        return bits;
    }

    /// <summary>An account number below 2^depth (its path bits) that is not the reserved fill-root index: depth + 2 constraints.</summary>
    private Variable[] AccountBits(ICircuitApi api, Variable account)
    {
        var bits = api.ToBits(account, Config.AccountDepth);
        api.AssertNonZero(api.Sub(account, Fr.FromUInt64(FillRootIndex(Config.AccountDepth))));
        return bits;
    }

    internal static Fr Pow2(int k) => Fr.FromBigInteger(BigInteger.One << k);

    /// <summary>
    /// The committed round: prices (collateral micro-units per lot), then each option's spot slot (CIRCUIT.md, "Options"),
    /// each in (0, 2^64), packed and chained exactly as PriceOracle.commit, must give the public oracle commitment.
    /// </summary>
    private (Variable[] Prices, Variable Round, Variable Seconds) Oracle(ICircuitApi api, Inputs inputs, Variable commitment)
    {
        using var scope = api.Scope("oracle");
        var round = inputs["round"];
        var seconds = inputs["timestamp"];
        var prices = inputs.Many("price", Config.PriceCount);
        api.AssertInRange(round, 64);
        api.AssertInRange(seconds, 64);
        foreach (var p in prices)
        {
            api.AssertInRange(p, 64);
            api.AssertNonZero(p);
        }
        var words = new Variable[(prices.Length + 2) / 3];
        for (int i = 0; i < prices.Length; i++) words[i / 3] = api.Add(words[i / 3], api.Mul(prices[i], Pow2(64 * (i % 3))));
        var acc = api.Add(api.Mul(round, Pow2(64)), seconds);
        for (int k = 0; k < words.Length; k += 4)
        {
            var chunk = new Variable[5];
            chunk[0] = acc;
            for (int j = 0; j < 4 && k + j < words.Length; j++) chunk[1 + j] = words[k + j];
            acc = PoseidonGadget.Hash(api, chunk);
        }
        api.AssertEqual(acc, commitment);
        return (prices, round, seconds);
    }

    /// <summary><see cref="PoseidonSponge.Commit"/> in-circuit: the word count is fixed by the shape, so the start is a constant.</summary>
    private static Variable DataCommitment(ICircuitApi api, List<Variable> words)
    {
        Variable acc = Fr.FromUInt64((ulong)words.Count);
        for (int k = 0; k < words.Count; k += PoseidonSponge.Rate)
        {
            var chunk = new Variable[PoseidonSponge.Rate + 1];
            chunk[0] = acc;
            for (int j = 0; j < PoseidonSponge.Rate && k + j < words.Count; j++) chunk[1 + j] = words[k + j];
            acc = PoseidonGadget.Hash(api, chunk);
        }
        return acc;
    }

    /// <summary>en·word: the word when the slot is used, 0 (a no-op record) when not: 1 constraint.</summary>
    private static void AddWord(ICircuitApi api, Running s, Variable en, Variable word) => s.Words.Add(api.Mul(en, word));
}
