using System.Numerics;
using Validium.Crypto;
using Validium.State;

namespace Validium.Circuits.Witness;

/// <summary>
/// Applies one batch of operations to the state (the Validium.State trees plus the <see cref="StateMirror"/> of leaf
/// preimages) and records, slot by slot, every private input the <see cref="BatchCircuit"/> needs: Merkle paths come
/// from the staged <see cref="StateBatch"/>, so each operation's proof is against the root the previous one left.
/// An operation the circuit would refuse is refused here first, naming the slot and the rule. Nothing changes until
/// <see cref="PendingBatch.Commit"/>.
/// </summary>
public sealed partial class BatchBuilder
{
    private readonly CircuitConfig cfg;
    private readonly StateStore store;
    private readonly SparseMerkleTree accounts;
    private readonly SparseMerkleTree fills;
    private readonly Lazy<NoOps> noOps;

    public BatchBuilder(CircuitConfig config, StateStore store, StateMirror? mirror = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        cfg = config.Checked();
        this.store = store;
        accounts = store.Tree(TreeId.Accounts, cfg.AccountDepth);
        fills = store.Tree(TreeId.OrderFills, cfg.FillDepth);
        Mirror = mirror ?? new StateMirror();
        noOps = new(() => new NoOps(cfg));
    }

    public CircuitConfig Config => cfg;

    public StateMirror Mirror { get; }

    /// <summary>The committed state root: the account tree's, whose reserved last leaf carries the order-fill tree's root.</summary>
    public Fr StateRoot => accounts.Root;

    /// <summary>Skipping the up-front checks lets tests hand the circuit a batch it must refuse.</summary>
    internal bool SkipChecks { get; init; }

    private sealed class Context(StateBatch batch, StateMirror mirror, OracleRound oracle, Fr opsHead)
    {
        public StateBatch Batch { get; } = batch;
        public StateMirror Mirror { get; } = mirror;
        public OracleRound Oracle { get; } = oracle;
        public Dictionary<string, Fr> Values { get; } = [];
        public List<Fr> Words { get; } = [];
        public List<(BigInteger Recipient, ulong Amount)> Withdrawals { get; } = [];
        public Fr OpsHead = opsHead;
        public long FeeSum;
        public LiquidationCarry? Liquidating;
    }

    /// <summary>A batch with no forced requests: see the overload below.</summary>
    public PendingBatch Build(ulong batchNumber, OracleRound oracle, Fr opsHead, IReadOnlyList<DepositOp> deposits, IReadOnlyList<TradeOp> trades,
        IReadOnlyList<WithdrawalOp> withdrawals) => Build(batchNumber, oracle, opsHead, deposits, [], trades, withdrawals);

    /// <summary>
    /// Builds batch <paramref name="batchNumber"/> on the committed state. The L1 operations continue the chain from
    /// <paramref name="opsHead"/> in queue order: the deposits, then the forced requests, so the caller cuts the L1
    /// queue where a deposit follows a forced request (the rest waits for the next batch). Deposits, forced requests,
    /// trades and withdrawals must fit the configured shape.
    /// </summary>
    public PendingBatch Build(ulong batchNumber, OracleRound oracle, Fr opsHead, IReadOnlyList<DepositOp> deposits, IReadOnlyList<ForcedOp> forced,
        IReadOnlyList<TradeOp> trades, IReadOnlyList<WithdrawalOp> withdrawals) => Build(batchNumber, oracle, opsHead, deposits, forced, trades, withdrawals, []);

    /// <summary>
    /// As above, with the engine's liquidations after the round's commit (<paramref name="liquidations"/>, in the
    /// engine's order), which the batch applies first (CIRCUIT.md, "Batch order and the engine").
    /// </summary>
    public PendingBatch Build(ulong batchNumber, OracleRound oracle, Fr opsHead, IReadOnlyList<DepositOp> deposits, IReadOnlyList<ForcedOp> forced,
        IReadOnlyList<TradeOp> trades, IReadOnlyList<WithdrawalOp> withdrawals, IReadOnlyList<LiquidationOp> liquidations) =>
        Build(batchNumber, oracle, opsHead, deposits, forced, trades, withdrawals, liquidations, FundingOp.None);

    /// <summary>
    /// As above, with the engine's funding ticks and payments (<paramref name="funding"/>), which the batch applies right
    /// after its liquidations (CIRCUIT.md, "Funding"): a circuit without funding slots takes no ticks.
    /// </summary>
    public PendingBatch Build(ulong batchNumber, OracleRound oracle, Fr opsHead, IReadOnlyList<DepositOp> deposits, IReadOnlyList<ForcedOp> forced,
        IReadOnlyList<TradeOp> trades, IReadOnlyList<WithdrawalOp> withdrawals, IReadOnlyList<LiquidationOp> liquidations, FundingOp funding)
    {
        ArgumentNullException.ThrowIfNull(funding);
        if (funding.Ticks.Count > 0 && cfg.Shape.Funding == 0)
            throw new ArgumentException($"{funding.Ticks.Count} funding ticks do not fit a batch of {cfg.Shape}, which has no funding slots");
        ArgumentNullException.ThrowIfNull(liquidations);
        if (liquidations.Count > cfg.Shape.Liquidations)
            throw new ArgumentException($"{liquidations.Count} liquidations do not fit a batch of {cfg.Shape}");
        ArgumentNullException.ThrowIfNull(oracle);
        ArgumentNullException.ThrowIfNull(deposits);
        ArgumentNullException.ThrowIfNull(forced);
        ArgumentNullException.ThrowIfNull(trades);
        ArgumentNullException.ThrowIfNull(withdrawals);
        var shape = cfg.Shape;
        if (deposits.Count > shape.Deposits || forced.Count > shape.Forced || trades.Count > shape.Trades || withdrawals.Count > shape.Withdrawals)
            throw new ArgumentException($"{deposits.Count} deposits, {forced.Count} forced requests, {trades.Count} trades, {withdrawals.Count} withdrawals do not fit a batch of {shape}");
        return Stage(batchNumber, oracle, opsHead, deposits,
            (c, a, i) =>
            {
                if (i < liquidations.Count) Liquidation(c, a, liquidations[i], i);
                else LiquidationNoOp(c, a);
            },
            (c, a, i) =>
            {
                if (i < trades.Count) Trade(c, a, trades[i], i);
                else
                {
                    noOps.Value.Trade(a);
                    c.Words.AddRange(new Fr[BatchEncoding.TradeWords]);
                }
            },
            (c, a, i) =>
            {
                if (i < withdrawals.Count) Withdrawal(c, a, withdrawals[i], i);
                else
                {
                    noOps.Value.Withdrawal(a);
                    c.Words.AddRange(new Fr[BatchEncoding.WithdrawalWords]);
                }
            },
            (c, a, i) => ForcedRequest(c, a, i < forced.Count ? forced[i] : null, i),
            (c, a) => Funding(c, a, funding));
    }

    /// <summary>A replay of a batch that consumed no forced requests: see the overload below.</summary>
    public PendingBatch Replay(ReadOnlySpan<Fr> words, OracleRound oracle, Fr opsHead, IReadOnlyList<QueuedDeposit> queued) =>
        Replay(words, oracle, opsHead, queued, []);

    /// <summary>
    /// Replays a proven batch from its data (what the committee stores) on the committed state, through the same state
    /// code that built it: recovery's way back to the state. The data carries order hashes, not orders or signatures,
    /// so nothing is checked that needs them (the proof did); everything else is (accounts, keys, fill slots, ranges).
    /// The batch's consumed L1 operations come in queue order as the builder consumed them: <paramref name="queued"/>
    /// deposits, then <paramref name="forced"/> requests (keys, depositors and trade sizes are not in the data). Each
    /// forced request is executed or refused by the state, exactly as when built, and must match its record. The
    /// returned batch's data words equal <paramref name="words"/> (checked), its public inputs are the batch's, and it
    /// has no circuit assignment.
    /// </summary>
    public PendingBatch Replay(ReadOnlySpan<Fr> words, OracleRound oracle, Fr opsHead, IReadOnlyList<QueuedDeposit> queued, IReadOnlyList<ForcedOp> forced)
    {
        ArgumentNullException.ThrowIfNull(oracle);
        ArgumentNullException.ThrowIfNull(queued);
        ArgumentNullException.ThrowIfNull(forced);
        var data = BatchData.Decode(cfg, words);
        if (data.OracleRound != oracle.Round || data.OracleTimestamp != oracle.Timestamp)
            throw new InvalidOperationException($"batch {data.BatchNumber} names oracle round {data.OracleRound} at {data.OracleTimestamp}, not round {oracle.Round} at {oracle.Timestamp}");
        if (data.Deposits.Count != queued.Count)
            throw new InvalidOperationException($"batch {data.BatchNumber} has {data.Deposits.Count} deposit records but consumed {queued.Count} L1 operations");
        if (data.Forced.Count != forced.Count)
            throw new InvalidOperationException($"batch {data.BatchNumber} has {data.Forced.Count} forced-request records but consumed {forced.Count} forced requests");
        var deposits = new DepositOp[queued.Count];
        for (int i = 0; i < deposits.Length; i++)
        {
            if (data.Deposits[i].Amount != queued[i].Amount)
                throw new InvalidOperationException($"batch {data.BatchNumber} deposit {i} credits {data.Deposits[i].Amount}, the L1 operation queued {queued[i].Amount}");
            deposits[i] = new DepositOp(data.Deposits[i].Account, queued[i].Key, queued[i].Amount, queued[i].Depositor);
        }
        var given = words.ToArray();
        var pending = Stage(data.BatchNumber, oracle, opsHead, deposits,
            (c, _, i) =>
            {
                if (i < data.Liquidations.Count) ReplayLiquidation(c, data.Liquidations[i], i);
                else c.Words.Add(Fr.Zero);
            },
            (c, _, i) =>
            {
                if (i < data.Trades.Count) ReplayTrade(c, data.Trades[i], i);
                else c.Words.AddRange(new Fr[BatchEncoding.TradeWords]);
            },
            (c, _, i) =>
            {
                if (i < data.Withdrawals.Count) ReplayWithdrawal(c, data.Withdrawals[i], i);
                else c.Words.AddRange(new Fr[BatchEncoding.WithdrawalWords]);
            },
            (c, a, i) =>
            {
                int at = c.Words.Count;
                ForcedRequest(c, a, i < forced.Count ? forced[i] : null, i);
                if (i < data.Forced.Count) CheckForcedRecord(data.Forced[i], c.Words[at], c.Words[at + 1], given, at, i);
            },
            (c, _) => ReplayFunding(c, data),
            replay: true,
            expiry: (c, _, i) =>
            {
                if (i < data.Expiries.Count) ReplayExpiry(c, data.Expiries[i], i);
                else c.Words.AddRange(new Fr[BatchEncoding.ExpiryWords]);
            });
        // Records re-encode to the same words only if every field was canonical and every used slot came first.
        for (int i = 0; i < words.Length; i++)
        {
            if (pending.DataWords[i] != words[i])
            {
                pending.Dispose();
                throw new FormatException($"batch {data.BatchNumber}: word {i} of the data is not how the circuit encodes its records (unused slots must come last)");
            }
        }
        return pending;
    }

    /// <summary>The state decides a forced request; a record that says otherwise, or describes another request, is refused by name.</summary>
    private static void CheckForcedRecord(ForcedRecord record, Fr replayed, Fr replayedY, Fr[] given, int at, int slot)
    {
        if (given[at] == replayed && given[at + 1] == replayedY) return;
        bool executed = ((replayed.ToBigInteger() >> 8) & 1) == 1;
        var flag = BigInteger.One << 8;
        bool sameRequest = given[at + 1] == replayedY && (replayed.ToBigInteger() | flag) == (given[at].ToBigInteger() | flag);
        throw new InvalidOperationException(sameRequest && executed != record.Executed
            ? $"forced request {slot}: the state {(executed ? "executes" : "refuses")} it, but its record says it was {(record.Executed ? "executed" : "refused")}"
            : $"forced request {slot}: its record (word {at}) is not the L1 request the batch consumed in that place");
    }

    private PendingBatch Stage(ulong batchNumber, OracleRound oracle, Fr opsHead, IReadOnlyList<DepositOp> deposits,
        Action<Context, Assignment, int> liquidation, Action<Context, Assignment, int> trade, Action<Context, Assignment, int> withdrawal, Action<Context, Assignment, int> forced,
        Action<Context, Assignment> funding, bool replay = false, Action<Context, Assignment, int>? expiry = null)
    {
        var shape = cfg.Shape;
        expiry ??= ExpirySlot;
        if (oracle.Prices.Length != cfg.PriceCount)
            throw new ArgumentException($"the oracle round has {oracle.Prices.Length} prices, the circuit's table {cfg.InstrumentCount} instruments and {cfg.OptionCount} option spots");
        var oracleCommitment = oracle.Commitment;

        var batch = store.BeginBatch(batchNumber);
        try
        {
            var c = new Context(batch, Mirror.Clone(), oracle, opsHead);
            var a = new Assignment(c.Values);
            var oldRoot = batch.Root(accounts);
            var oldFillRoot = batch.Root(fills);
            a["fillRoot"] = oldFillRoot;
            var o = a.Sub("oracle");
            o["round"] = oracle.Round;
            o["timestamp"] = oracle.Timestamp;
            o.Many("price", [.. oracle.Prices.Select(p => (Fr)p)]);
            c.Words.Add(BatchEncoding.HeaderWord(batchNumber, oracle.Round, oracle.Timestamp));
            if (shape.Expiries > 0 && !SkipChecks) CheckEarlierExpiriesSettled(c);
            for (int i = 0; i < shape.Expiries; i++) expiry(c, a.Sub($"expiry[{i}]"), i);
            if (shape.Liquidations > 0)
            {
                c.Liquidating = new LiquidationCarry();
                for (int i = 0; i < shape.Liquidations; i++) liquidation(c, a.Sub($"liquidation[{i}]"), i);
                CloseLiquidations(c, a.Sub("liquidation"));
            }
            if (shape.Funding > 0) funding(c, a);

            for (int i = 0; i < shape.Deposits; i++)
                Deposit(c, a.Sub($"deposit[{i}]"), i < deposits.Count ? deposits[i] : null, i);
            for (int i = 0; i < shape.Trades; i++) trade(c, a.Sub($"trade[{i}]"), i);
            if (c.Words.Count != 1 + shape.Expiries * BatchEncoding.ExpiryWords + shape.Liquidations * BatchEncoding.LiquidationWords + BatchData.FundingWordCount(cfg) + shape.Deposits + shape.Trades * BatchEncoding.TradeWords) throw new InvalidOperationException("a trade slot wrote the wrong number of words");
            FeeCredit(c, a.Sub("fee"));
            for (int i = 0; i < shape.Withdrawals; i++) withdrawal(c, a.Sub($"withdrawal[{i}]"), i);
            for (int i = 0; i < shape.Forced; i++) forced(c, a.Sub($"forced[{i}]"), i);

            c.Mirror.LastRoundTime = oracle.Timestamp;
            FillRootLeaf(c, a.Sub("fillLeaf"), oldFillRoot);
            var newRoot = batch.Root(accounts);
            var words = c.Words.ToArray();
            Fr[] publicInputs =
            [
                oldRoot, newRoot, PoseidonSponge.Commit(words), opsHead, c.OpsHead, oracleCommitment,
                BatchEncoding.WithdrawalsCommitment(c.Withdrawals), batchNumber,
            ];
            for (int i = 0; i < publicInputs.Length; i++) c.Values[BatchCircuit.PublicInputNames[i]] = publicInputs[i];
            return new PendingBatch(batch, Mirror, c.Mirror, replay ? [] : c.Values, publicInputs, words, c.Withdrawals);
        }
        catch
        {
            batch.Dispose();
            throw;
        }
    }

    private void ReplayTrade(Context c, TradeRecord t, int slot)
    {
        string what = $"trade {slot}";
        if (t.Ticks is 0 or > long.MaxValue || t.Lots is 0 or > long.MaxValue) throw new InvalidOperationException($"{what}: price {t.Ticks} ticks and size {t.Lots} lots must be positive 63-bit numbers");
        var terms = Terms.Of(cfg, t.Instrument, (long)t.Ticks, (long)t.Lots);
        CheckLive(c, t.Instrument, what);
        CloseSide(c, OpenSide(c, t.Taker, t.TakerOrderHash, t.TakerSells, terms, terms.TakerFee, what + " taker"), terms);
        CloseSide(c, OpenSide(c, t.Maker, t.MakerOrderHash, !t.TakerSells, terms, terms.MakerFee, what + " maker"), terms);
        c.FeeSum = checked(c.FeeSum + terms.TakerFee + terms.MakerFee);
        c.Words.AddRange(BatchEncoding.TradeDataWords(t.Taker, t.Maker, t.Instrument, t.TakerSells, t.Ticks, t.Lots, t.TakerOrderHash, t.MakerOrderHash));
    }

    private void ReplayWithdrawal(Context c, WithdrawalRecord w, int slot)
    {
        string what = $"withdrawal {slot}";
        var (data, _) = OpenAccount(c, w.Account, what);
        if (w.Amount is 0 or > long.MaxValue) throw new InvalidOperationException($"{what}: amount {w.Amount} is not a positive 63-bit amount");
        if (w.Nonce <= data.Nonce) throw new InvalidOperationException($"{what}: nonce {w.Nonce} is not above account {w.Account}'s last nonce {data.Nonce}");
        ApplyWithdrawal(c, w.Account, data, w.Nonce, w.Amount, w.Recipient);
    }

    private void FillRootLeaf(Context c, Assignment a, Fr oldFillRoot)
    {
        var index = BatchCircuit.FillRootIndex(cfg.AccountDepth);
        var proof = c.Batch.Prove(accounts, index);
        var carries = cfg.CarriesOpenInterest;
        var openInterest = carries ? Mirror.OpenInterest(cfg.InstrumentCount) : null;
        var expiry = cfg.Shape.Expiries > 0 ? Mirror.ExpiryFigures(cfg.OptionInstruments) : null;
        if (proof.Leaf != BatchCircuit.ReservedLeafValue(oldFillRoot, cfg.FillDepth, Mirror.Funding, openInterest, expiry))
            throw new InvalidOperationException($"account {index} does not hold the order-fill tree's root{(carries ? ", funding state and open interest" : "")}: the trees are not this circuit's state");
        a.Many("siblings", proof.Siblings);
        if (openInterest is not null) a.Many("openInterest", [.. openInterest.Select(Fr.FromBigInteger)]);
        if (expiry is not null)
        {
            a.Many("shortInterest", [.. expiry.ShortInterest.Select(Fr.FromBigInteger)]);
            a["lastRound"] = expiry.LastRound;
        }
        var newInterest = carries ? c.Mirror.OpenInterest(cfg.InstrumentCount) : null;
        var newExpiry = expiry is null ? null : c.Mirror.ExpiryFigures(cfg.OptionInstruments);
        c.Batch.Update(accounts, [new LeafUpdate(index, BatchCircuit.ReservedLeafValue(c.Batch.Root(fills), cfg.FillDepth, c.Mirror.Funding, newInterest, newExpiry))]);
    }

    private void Deposit(Context c, Assignment a, DepositOp? d, int slot)
    {
        var siblings = new Fr[cfg.AccountDepth];
        if (d is null)
        {
            // A no-op slot: the circuit still hashes a would-be new account, which needs only the empty positions root.
            a["enabled"] = Fr.Zero;
            foreach (var name in (string[])["depositor", "ax", "ay", "amount", "account", "nonce", "collateral"]) a[name] = Fr.Zero;
            a["isNew"] = Fr.One;
            a["positionsRoot"] = ZeroHashes.EmptyRoot(cfg.PositionsDepth);
            a.Many("siblings", siblings);
            c.Words.Add(Fr.Zero);
            return;
        }
        string what = $"deposit {slot}";
        CheckAccountNumber(d.Account, what);
        if (d.Amount == 0 || d.Amount > long.MaxValue) throw new ArgumentException($"{what}: amount {d.Amount} is not a positive 63-bit amount");
        var proof = c.Batch.Prove(accounts, d.Account);
        var existing = c.Mirror.Account(d.Account);
        CheckMirror(existing, proof, d.Account);
        if (existing is not null && existing.Key != d.Key && !SkipChecks)
            throw new InvalidOperationException($"{what}: account {d.Account} belongs to another key; credit the deposit to an account with its key or to an empty one");
        var old = existing ?? AccountData.Open(d.Key, 0, cfg.InstrumentCount);
        long credited = old.Collateral + (long)d.Amount;
        if (credited < old.Collateral) throw new InvalidOperationException($"{what}: account {d.Account}'s collateral would overflow 64 bits");
        var updated = old with { Collateral = credited };

        a["enabled"] = Fr.One;
        a["depositor"] = Fr.FromBigInteger(d.Depositor);
        a["ax"] = d.Key.X;
        a["ay"] = d.Key.Y;
        a["amount"] = d.Amount;
        a["account"] = d.Account;
        a["isNew"] = existing is null ? Fr.One : Fr.Zero;
        a["nonce"] = old.Nonce;
        a["collateral"] = FieldEncoding.Signed(old.Collateral);
        a["positionsRoot"] = old.PositionsRoot(cfg.PositionsDepth);
        a.Many("siblings", proof.Siblings);
        WriteAccount(c, d.Account, existing, updated);

        c.OpsHead = BatchEncoding.ChainL1(c.OpsHead, BatchEncoding.DepositL1Word(d.Depositor), d.Key.X, d.Key.Y, d.Amount);
        c.Words.Add(BatchEncoding.DepositDataWord(d.Account, d.Amount));
    }

    private void FeeCredit(Context c, Assignment a)
    {
        var proof = c.Batch.Prove(accounts, cfg.FeeAccount);
        var existing = c.Mirror.Account(cfg.FeeAccount);
        CheckMirror(existing, proof, cfg.FeeAccount);
        if (existing is null && c.FeeSum != 0)
            throw new InvalidOperationException($"the batch collects fees of {c.FeeSum} but fee account {cfg.FeeAccount} does not exist; open it with a deposit first");
        var old = existing ?? AccountData.Open(default, 0, cfg.InstrumentCount);
        a["isEmpty"] = existing is null ? Fr.One : Fr.Zero;
        a["ax"] = existing is null ? Fr.Zero : old.Key.X;
        a["ay"] = existing is null ? Fr.Zero : old.Key.Y;
        a["nonce"] = old.Nonce;
        a["collateral"] = FieldEncoding.Signed(old.Collateral);
        a["positionsRoot"] = old.PositionsRoot(cfg.PositionsDepth);
        a.Many("siblings", proof.Siblings);
        if (existing is not null)
            WriteAccount(c, cfg.FeeAccount, existing, existing with { Collateral = checked(existing.Collateral + c.FeeSum) });
    }

    private void Withdrawal(Context c, Assignment a, WithdrawalOp w, int slot)
    {
        string what = $"withdrawal {slot}";
        var (data, proof) = OpenAccount(c, w.Account, what);
        if (w.Amount == 0 || w.Amount > long.MaxValue) throw new ArgumentException($"{what}: amount {w.Amount} is not a positive 63-bit amount");
        if (w.Recipient.Sign < 0 || w.Recipient >= BatchEncoding.AddressLimit) throw new ArgumentException($"{what}: the recipient is not a 160-bit address");
        var left = data.Collateral - (long)w.Amount;
        if (!SkipChecks)
        {
            if (w.Nonce <= data.Nonce) throw new InvalidOperationException($"{what}: nonce {w.Nonce} is not above account {w.Account}'s last nonce {data.Nonce}");
            var message = BatchEncoding.WithdrawalMessage(w.Account, w.Nonce, w.Amount, w.Recipient);
            if (!EdDsaPoseidon.Verify(message, w.Signature, data.Key)) throw new InvalidOperationException($"{what}: the signature is not account {w.Account}'s");
            if (!Settlement.MeetsMargin(cfg, c.Oracle.Prices, left, data.Positions, initial: true))
                throw new InvalidOperationException($"{what}: {w.Amount} is more than account {w.Account}'s free collateral at the batch's prices");
        }
        a["enabled"] = Fr.One;
        a["account"] = w.Account;
        a["nonce"] = w.Nonce;
        a["amount"] = w.Amount;
        a["recipient"] = Fr.FromBigInteger(w.Recipient);
        AssignSignature(a, w.Signature, what);
        AssignAccount(a.Sub("account"), data, proof.Siblings);
        ApplyWithdrawal(c, w.Account, data, w.Nonce, w.Amount, w.Recipient);
    }

    private void ApplyWithdrawal(Context c, ulong account, AccountData data, ulong nonce, ulong amount, BigInteger recipient)
    {
        WriteAccount(c, account, data, data with { Nonce = nonce, Collateral = checked(data.Collateral - (long)amount) });
        c.Withdrawals.Add((recipient, amount));
        c.Words.AddRange(BatchEncoding.WithdrawalDataWords(account, amount, recipient, nonce));
    }

    private (AccountData Data, MerkleProof Proof) OpenAccount(Context c, ulong id, string what)
    {
        CheckAccountNumber(id, what);
        var proof = c.Batch.Prove(accounts, id);
        var data = c.Mirror.Account(id);
        CheckMirror(data, proof, id);
        return data is null ? throw new InvalidOperationException($"{what}: account {id} does not exist") : (data, proof);
    }

    private void CheckAccountNumber(ulong id, string what)
    {
        if (!TreeShape.Contains(cfg.AccountDepth, id)) throw new ArgumentException($"{what}: account {id} is outside an account tree of depth {cfg.AccountDepth}");
        if (id == BatchCircuit.FillRootIndex(cfg.AccountDepth)) throw new ArgumentException($"{what}: account {id} is reserved for the order-fill tree's root");
    }

    private void CheckMirror(AccountData? data, MerkleProof proof, ulong id)
    {
        var expected = data is null ? Fr.Zero : data.Leaf(cfg.PositionsDepth).Hash();
        if (proof.Leaf != expected) throw new InvalidOperationException($"the state mirror and the account tree disagree on account {id}");
    }

    /// <summary>Writes the changed positions into the account's positions tree, then the account leaf; both must agree with the mirror.</summary>
    private void WriteAccount(Context c, ulong id, AccountData? old, AccountData updated)
    {
        var changed = new List<LeafUpdate>();
        for (int j = 0; j < updated.Positions.Length; j++)
            if (old is null ? !updated.Positions[j].IsFlat : old.Positions[j] != updated.Positions[j])
                changed.Add(new LeafUpdate((ulong)j, updated.Positions[j].Hash()));
        if (changed.Count > 0)
        {
            var root = c.Batch.Update(store.Tree(TreeId.Positions(id), cfg.PositionsDepth), changed);
            if (root != updated.PositionsRoot(cfg.PositionsDepth)) throw new InvalidOperationException($"account {id}'s positions tree disagrees with the mirror");
        }
        c.Batch.Update(accounts, [new LeafUpdate(id, updated.Leaf(cfg.PositionsDepth).Hash())]);
        c.Mirror.SetAccount(id, updated);
    }

    internal static void AssignAccount(Assignment a, AccountData d, ReadOnlySpan<Fr> siblings)
    {
        a["ax"] = d.Key.X;
        a["ay"] = d.Key.Y;
        a["nonce"] = d.Nonce;
        a["collateral"] = FieldEncoding.Signed(d.Collateral);
        a.Many("size", [.. d.Positions.Select(p => FieldEncoding.Signed(p.Size))]);
        a.Many("notional", [.. d.Positions.Select(p => FieldEncoding.Signed(p.OpenNotional))]);
        a.Many("funding", [.. d.Positions.Select(p => FieldEncoding.Signed(p.FundingIndex))]);
        a.Many("siblings", siblings);
    }

    internal static void AssignSignature(Assignment a, EdDsaSignature sig, string what)
    {
        if (sig.S.Sign < 0 || sig.S >= Fr.Modulus) throw new ArgumentException($"{what}: signature scalar S is not below the field modulus");
        a["r8x"] = sig.R8.X;
        a["r8y"] = sig.R8.Y;
        a["s"] = Fr.FromBigInteger(sig.S);
    }
}
