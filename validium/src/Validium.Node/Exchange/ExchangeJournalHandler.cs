using System.Numerics;
using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using Validium.Sequencer;
using Validium.State;

namespace Validium.Node.Exchange;

/// <summary>
/// One journaled command as applied: the answer for its submitter, the batch operations it produced (for the
/// batcher), the oracle round it committed, and what changed for subscribers.
/// </summary>
internal sealed record Applied(
    Ack Ack,
    IReadOnlyList<DepositOp> Deposits,
    IReadOnlyList<TradeOp> Trades,
    IReadOnlyList<WithdrawalOp> Withdrawals,
    IReadOnlyList<ForcedOutcome> Forced,
    OracleRound? Oracle,
    ViewDelta Delta)
{
    /// <summary>The liquidations an oracle commit caused; the batch applies them first.</summary>
    public IReadOnlyList<LiquidationOp> Liquidations { get; init; } = [];

    /// <summary>The funding ticks the command made (an oracle commit's scheduled ones, or an operator's), with every payment.</summary>
    public FundingOp Funding { get; init; } = FundingOp.None;

    /// <summary>The option expiry settlements an oracle commit made; the batch applies them before its liquidations.</summary>
    public IReadOnlyList<ExpiryOp> Expiries { get; init; } = [];

    public bool HasOperations => Deposits.Count + Trades.Count + Withdrawals.Count + Forced.Count + Liquidations.Count + Funding.Ticks.Count + Expiries.Count > 0;
}

/// <summary>
/// The exchange behind the node's sequencer. Each journaled <see cref="NodeCommand"/> runs through an
/// <see cref="ExchangeRecorder"/>, so trades carry the signed orders the batch circuit checks, and every check the
/// circuit would make but the engine does not (withdrawal signatures and nonces, order-fill slots, instruments
/// matching the circuit's table, L1 operations in order) is made here, deterministically, so a replay refuses exactly
/// what the first run refused.
/// <para>
/// No snapshots: the recorder's signed orders and this handler's own tables are not in the engine's snapshot, so
/// start-up replays the whole journal (<see cref="SaveState"/> refuses).
/// </para>
/// </summary>
internal sealed partial class ExchangeJournalHandler : ICommandHandler<Applied>
{
    private readonly CircuitConfig circuit;
    private readonly BabyJubjubPoint? operatorKey;
    private readonly ViewBuilder view;
    private readonly Dictionary<BabyJubjubPoint, int> accountOfKey = [];
    private readonly Dictionary<int, ulong> withdrawalNonces = [];
    private readonly Dictionary<ulong, Fr> fillSlots = [];
    private readonly int accountLimit;
    private long lastL1Operation = -1;
    private ulong lastOracleRound;
    private OracleRound? committedRound;
    private long lastTime;

    public ExchangeJournalHandler(EngineConfig engine, CircuitConfig circuit, BabyJubjubPoint? operatorKey, ViewBuilder view)
    {
        this.circuit = circuit;
        this.operatorKey = operatorKey;
        this.view = view;
        Recorder = new ExchangeRecorder(new Engine(engine));
        ulong treeAccounts = BatchCircuit.FillRootIndex(circuit.AccountDepth);
        accountLimit = (int)Math.Min((ulong)engine.MaxAccounts, treeAccounts);
    }

    /// <summary>Held while a command applies; hold it to read the engine from another thread.</summary>
    public Lock Gate { get; } = new();

    public ExchangeRecorder Recorder { get; }

    public Engine Engine => Recorder.Engine;

    /// <summary>The last applied command's time (ms): new commands are stamped no earlier.</summary>
    public long LastTime => Volatile.Read(ref lastTime);

    public Applied Apply(long sequence, long timestamp, ReadOnlySpan<byte> payload)
    {
        lock (Gate)
        {
            Volatile.Write(ref lastTime, Math.Max(lastTime, timestamp));
            if (!NodeCommandCodec.TryDecode(payload, out var command, out var error))
            {
                view.Touch(sequence, timestamp);
                return Nothing(Ack.Refused(sequence, AckCodes.Malformed, $"command {sequence} is malformed: {error}"));
            }
            OracleRound? committed = null;
            var ack = command switch
            {
                SignedCommand s => Trader(sequence, timestamp, s),
                WithdrawalRequest w => Withdraw(sequence, timestamp, w),
                L1Deposit d => Deposit(sequence, timestamp, d),
                L1Forced f => Forced(sequence, timestamp, f),
                OracleRoundCommitted o => Oracle(sequence, timestamp, o.Round, out committed),
                OperatorCommand op => Operator(sequence, timestamp, op.Command),
                _ => Ack.Refused(sequence, AckCodes.Malformed, $"command {sequence}: {command.GetType().Name} is not applied by this node"),
            };
            var events = Engine.Events.Events.ToArray();
            FreeUntradedSlots(events);
            Recorder.ReleaseEvents();
            var (deposits, trades, withdrawals) = Recorder.TakeBatch();
            var forced = Recorder.TakeForced();
            bool everything = command is OracleRoundCommitted or OperatorCommand;
            var delta = view.Update(Engine, sequence, timestamp, events, everything, WithdrawalNonce, lastL1Operation, lastOracleRound);
            return new Applied(ack, deposits, trades, withdrawals, forced, committed, delta) { Liquidations = Recorder.TakeLiquidations(), Funding = Recorder.TakeFunding(), Expiries = Recorder.TakeExpiries() };
        }
    }

    public byte[] SaveState() =>
        throw new NotSupportedException("the node takes no snapshots: the recorder's signed orders are not in the engine's snapshot, so it replays the journal");

    public void LoadState(ReadOnlySpan<byte> state) =>
        throw new NotSupportedException("the node's journal directory holds a snapshot it did not take; it replays the whole journal and cannot start from one");

    private ulong WithdrawalNonce(int account) => withdrawalNonces.GetValueOrDefault(account);

    private static Applied Nothing(Ack ack) => new(ack, [], [], [], [], null, ViewDelta.None);

    private Ack Trader(long sequence, long time, SignedCommand s)
    {
        var c = s.Command with { Time = time };
        switch (c.Kind)
        {
            case CommandKind.Place or CommandKind.Amend:
            {
                // An amend's hash is an order of its own in the fill tree (its later trades are proven from it), so it takes a slot too.
                var hash = OrderSigning.Hash(c);
                ulong slot = OrderFillLeaf.Slot(hash, circuit.FillDepth);
                if (fillSlots.TryGetValue(slot, out var holder) && holder != hash)
                    return Ack.Refused(sequence, AckCodes.FillSlotTaken, $"the order's fill slot {slot} already holds another order; sign it again with another nonce");
                var outcome = Recorder.Signed(c, s.Signature, s.Verified);
                if (outcome.Accepted) Reserve(slot, hash);
                return Ack.FromOutcome(sequence, outcome, c.Kind == CommandKind.Place ? "the order" : "the amend");
            }
            case CommandKind.Cancel or CommandKind.CancelAll:
                // The engine's unsigned path executes these; the signature is checked here, as the engine checks a place's.
                if (!s.Verified && Engine.TryGetAccountKey(c.Account, out var key) && !OrderSigning.Verify(c, s.Signature, key))
                    return Ack.Refused(sequence, AckCodes.BadSignature, $"the signature is not account {c.Account}'s key's over the command");
                return Ack.FromOutcome(sequence, Recorder.Execute(c), c.Kind == CommandKind.Cancel ? "the cancel" : "the cancel-all");
            default:
                return Ack.Refused(sequence, AckCodes.Malformed, $"{c.Kind} is not a trader command");
        }
    }

    private Ack Withdraw(long sequence, long time, WithdrawalRequest w)
    {
        if (circuit.Shape.Withdrawals == 0) return Ack.Refused(sequence, AckCodes.NotProvable, "the batch circuit has no withdrawal slots");
        if (w.Amount is 0 or > long.MaxValue) return Ack.Refused(sequence, nameof(RejectCode.BadAmount), $"withdrawal amount {w.Amount} is outside 1..{long.MaxValue}");
        if (!Engine.TryGetAccountKey(w.Account, out var key)) return Ack.Refused(sequence, nameof(RejectCode.UnknownAccount), $"no account {w.Account}");
        var message = BatchEncoding.WithdrawalMessage((ulong)w.Account, w.Nonce, w.Amount, w.Recipient);
        if (!OrderSigning.IsSigningKey(key) || !EdDsaPoseidon.Verify(message, w.Signature, key))
            return Ack.Refused(sequence, AckCodes.BadSignature, $"the signature is not account {w.Account}'s key's over the withdrawal");
        ulong last = WithdrawalNonce(w.Account);
        if (w.Nonce <= last) return Ack.Refused(sequence, AckCodes.BadNonce, $"withdrawal nonce {w.Nonce} is not above account {w.Account}'s last withdrawal nonce {last}");
        var outcome = Recorder.Withdraw(time, w.Account, (long)w.Amount, w.Nonce, w.Recipient, w.Signature);
        if (outcome.Accepted) withdrawalNonces[w.Account] = w.Nonce;
        return Ack.FromOutcome(sequence, outcome, "the withdrawal");
    }

    private Ack Deposit(long sequence, long time, L1Deposit d)
    {
        if ((long)Math.Min(d.OpIndex, long.MaxValue) <= lastL1Operation)
            return Ack.Refused(sequence, AckCodes.Duplicate, $"L1 operation {d.OpIndex} is not after the last applied one, {lastL1Operation}");
        if (d.Amount is 0 or > long.MaxValue) return Ack.Refused(sequence, nameof(RejectCode.BadAmount), $"deposit amount {d.Amount} is outside 1..{long.MaxValue}");
        if (!accountOfKey.TryGetValue(d.Key, out int account) && !TryAllocate(d.Key, out account))
            return Ack.Refused(sequence, AckCodes.NoFreeAccount, $"no account number below {accountLimit} is free for a new key");
        lastL1Operation = (long)d.OpIndex;
        var outcome = Recorder.Deposit(time, account, d.Key, (long)d.Amount, d.Depositor);
        if (outcome.Accepted) accountOfKey[d.Key] = account;
        return outcome.Accepted ? new Ack(sequence, true, AckCodes.Ok, $"credited account {account}", Account: account) : Ack.FromOutcome(sequence, outcome, $"L1 deposit {d.OpIndex}");
    }

    /// <summary>
    /// New keys get the lowest free account number; the circuit's fee account is kept for the operator's key, so
    /// fees never land in a trader's account.
    /// </summary>
    private bool TryAllocate(BabyJubjubPoint key, out int account)
    {
        if (operatorKey == key && !Engine.HasAccount((int)circuit.FeeAccount))
        {
            account = (int)circuit.FeeAccount;
            return true;
        }
        for (account = 0; account < accountLimit; account++)
            if ((ulong)account != circuit.FeeAccount && !Engine.HasAccount(account)) return true;
        return false;
    }

    private Ack Oracle(long sequence, long time, OracleRound round, out OracleRound? committed)
    {
        committed = null;
        if (round.Round <= lastOracleRound) return Ack.Refused(sequence, AckCodes.Duplicate, $"oracle round {round.Round} is not after the last applied one, {lastOracleRound}");
        if (round.Prices.Length != circuit.PriceCount || Engine.InstrumentCount != circuit.InstrumentCount)
            return Ack.Refused(sequence, AckCodes.Malformed,
                $"oracle round {round.Round} has {round.Prices.Length} prices; the exchange lists {Engine.InstrumentCount} instruments and the circuit has {circuit.InstrumentCount} and {circuit.OptionCount} option spots");
        var indexOf = new SortedDictionary<int, long>();
        for (int i = 0; i < Engine.InstrumentCount; i++)
        {
            var spec = Engine.Instrument(i);
            if (spec.IsOption || indexOf.ContainsKey(spec.Underlying)) continue;
            // The round prices a lot in collateral micro-units: ticks × cash per tick-lot; the engine takes the raw price.
            BigInteger ticks = round.Prices[i] / (ulong)spec.CashPerTickLot;
            BigInteger raw = ticks * spec.TickSize;
            if (ticks.IsZero || raw > spec.MaxPrice)
                return Ack.Refused(sequence, nameof(RejectCode.BadOraclePrice), $"oracle round {round.Round}: instrument {i}'s price {round.Prices[i]} per lot is outside 1 tick..the maximum price");
            indexOf[spec.Underlying] = (long)raw;
        }
        if (OptionProblem(round, indexOf) is { } problem) return Ack.Refused(sequence, nameof(RejectCode.BadOraclePrice), $"oracle round {round.Round}: {problem}");
        // One command for the whole round: the engine liquidates once, at every new index and mark, as the circuit decides.
        // Options live after the round (those its indices expire are settled, not marked) take their marks from it; it carries no greeks.
        var options = new List<OptionMark>();
        for (int i = 0; i < Engine.InstrumentCount; i++)
        {
            var spec = Engine.Instrument(i);
            if (!spec.IsOption || Engine.IsExpired(i) || (spec.Expiry <= time && indexOf.ContainsKey(spec.Underlying))) continue;
            long mark = (long)(round.Prices[i] / (ulong)spec.CashPerTickLot) * spec.TickSize;
            options.Add(new OptionMark(i, mark, 0, 0));
        }
        var outcome = Recorder.Execute(Command.OracleRound(time, [.. indexOf.Select(p => new IndexMark(p.Key, p.Value))], [.. options]));
        if (!outcome.Accepted) return Ack.FromOutcome(sequence, outcome, $"oracle round {round.Round}");
        lastOracleRound = round.Round;
        committedRound = round;
        ScheduledFunding(time, round);
        committed = round;
        return Ack.Ok(sequence);
    }

    /// <summary>
    /// A round's option entries must be what the engine will hold after it (CIRCUIT.md, "Options"): each live option's
    /// mark a whole number of ticks per lot within its price range, and each spot slot the engine's IndexTicks, the
    /// underlying's new index in the option's ticks clamped as Oracle.cs clamps it (an expired option keeps its last).
    /// </summary>
    private string? OptionProblem(OracleRound round, SortedDictionary<int, long> indexOf)
    {
        for (int i = 0; i < Engine.InstrumentCount; i++)
        {
            var spec = Engine.Instrument(i);
            if (!spec.IsOption) continue;
            bool expired = Engine.IsExpired(i);
            var perLot = round.Prices[i];
            if (!expired && (perLot % (ulong)spec.CashPerTickLot != 0 || perLot / (ulong)spec.CashPerTickLot > (ulong)spec.MaxPriceTicks))
                return $"option {i}'s mark {perLot} per lot is not a whole number of ticks up to its maximum price";
            long current = Math.Max(1, Engine.IndexPrice(i) / spec.TickSize);
            long spot = !expired && indexOf.TryGetValue(spec.Underlying, out var index) ? Math.Clamp(index / spec.TickSize, 1, spec.MaxPriceTicks) : current;
            var slot = round.Prices[circuit.SpotSlot(i)];
            if (slot != (ulong)spot) return $"option {i}'s spot slot is {slot}, the engine's index for it is {spot} ticks";
        }
        return null;
    }

    private Ack Operator(long sequence, long time, Command c)
    {
        c = c with { Time = time };
        switch (c.Kind)
        {
            case CommandKind.ListInstrument:
            {
                int next = Engine.InstrumentCount;
                if (c.Payload is not InstrumentSpec spec) return Ack.Refused(sequence, AckCodes.Malformed, "a listing without its instrument spec");
                if (next >= circuit.InstrumentCount)
                    return Ack.Refused(sequence, AckCodes.NotProvable, $"the batch circuit's instrument table has {circuit.InstrumentCount} instruments; instrument {next} cannot be listed");
                InstrumentParams listed;
                try
                {
                    listed = InstrumentParams.FromSpec(spec);
                }
                catch (ArgumentException e)
                {
                    return Ack.Refused(sequence, AckCodes.NotProvable, e.Message);
                }
                if (listed != circuit.Instruments[next])
                    return Ack.Refused(sequence, AckCodes.NotProvable, $"instrument {next} differs from the batch circuit's table entry {next} ({circuit.Instruments[next]})");
                return Ack.FromOutcome(sequence, Recorder.Execute(c), $"listing instrument {next}");
            }
            case CommandKind.Funding:
                return OperatorFunding(sequence, c);
            default:
                return Ack.Refused(sequence, AckCodes.Malformed, $"{c.Kind} is not an operator command (listing, funding)");
        }
    }
}
