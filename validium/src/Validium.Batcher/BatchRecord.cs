using System.Collections.Immutable;
using System.Numerics;
using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Proving.Groth16;

namespace Validium.Batcher;

public enum BatchStatus
{
    /// <summary>Cut, its witness inputs persisted and its state applied; no verified proof yet.</summary>
    Cut,

    /// <summary>Proven, the proof checked against the data directory's verification key, persisted and released.</summary>
    Proven,
}

/// <summary>Why a batch was cut.</summary>
public enum CutReason
{
    /// <summary>A slot type of the circuit's shape is full, or an operation follows a forced request (which must end its batch).</summary>
    Size,

    /// <summary>The oldest pending operation waited <see cref="BatcherOptions.MaxBatchAge"/>.</summary>
    Time,

    /// <summary>A new oracle round was committed: a batch is proven against one round (CIRCUIT.md).</summary>
    Oracle,

    /// <summary>Asked for by <see cref="BatchPipeline.FlushAsync"/>.</summary>
    Flush,
}

/// <summary>
/// Where in the sequencer's stream an operation came from: the command's sequence number and the operation's index
/// among those the command produced (liquidations, deposits, trades, then withdrawals). Batches record the last position
/// they hold, so after a restart the commands replayed from the journal are not batched twice.
/// </summary>
public readonly record struct StreamPosition(long Sequence, int Index) : IComparable<StreamPosition>
{
    public int CompareTo(StreamPosition other) => Sequence != other.Sequence ? Sequence.CompareTo(other.Sequence) : Index.CompareTo(other.Index);

    public static bool operator <=(StreamPosition a, StreamPosition b) => a.CompareTo(b) <= 0;

    public static bool operator >=(StreamPosition a, StreamPosition b) => a.CompareTo(b) >= 0;

    public static bool operator <(StreamPosition a, StreamPosition b) => a.CompareTo(b) < 0;

    public static bool operator >(StreamPosition a, StreamPosition b) => a.CompareTo(b) > 0;

    public override string ToString() => $"{Sequence}.{Index}";
}

/// <summary>
/// One batch as the data directory keeps it: the operations (so the state can be rebuilt), the oracle round and L1
/// head it was built on, the committee's data words, every circuit input by name, the eight public inputs, and once
/// proven the proof. <see cref="BatchFile"/> gives its on-disk form.
/// </summary>
public sealed record BatchRecord
{
    public required ulong Number { get; init; }
    public required BatchStatus Status { get; init; }
    public required CutReason Reason { get; init; }

    /// <summary>The last operation's place in the sequencer's stream.</summary>
    public required StreamPosition Through { get; init; }

    public required OracleRound Oracle { get; init; }
    public required Fr OpsHeadBefore { get; init; }
    public required ImmutableArray<DepositOp> Deposits { get; init; }
    public required ImmutableArray<TradeOp> Trades { get; init; }
    public required ImmutableArray<WithdrawalOp> Withdrawals { get; init; }

    /// <summary>The engine's liquidations after the round's commit; the circuit applies them first (none in records written before liquidation slots).</summary>
    public ImmutableArray<LiquidationOp> Liquidations { get; init; } = [];
    /// <summary>The engine's option expiry settlements at the round's commit; the circuit applies them before anything else (none in older records).</summary>
    public ImmutableArray<ExpiryOp> Expiries { get; init; } = [];
    /// <summary>L1 forced requests the batch consumed, in queue order after its deposits (executed or refused by the state).</summary>
    public ImmutableArray<ForcedOp> Forced { get; init; } = [];

    /// <summary>The engine's funding ticks and payments, applied right after the liquidations (none in records written before funding slots).</summary>
    public FundingOp Funding { get; init; } = FundingOp.None;
    public required ImmutableArray<Fr> DataWords { get; init; }

    /// <summary>Every circuit input by name (public ones included): what the prover solves the witness from.</summary>
    public required IReadOnlyDictionary<string, Fr> Inputs { get; init; }

    /// <summary>In the contract's order (<see cref="BatchCircuit.PublicInputNames"/>).</summary>
    public required ImmutableArray<Fr> PublicInputs { get; init; }

    public Proof? Proof { get; init; }

    public int OperationCount => Deposits.Length + Trades.Length + Withdrawals.Length + Liquidations.Length + Forced.Length + Expiries.Length + (Funding.Ticks.Count > 0 ? 1 : 0);

    /// <summary>The L1 operations the batch consumes: its deposits, then its forced requests.</summary>
    public int L1Operations => Deposits.Length + Forced.Length;

    /// <summary>
    /// What submitBatch pays, in the withdrawals chain's order: the L2 withdrawals, then the forced withdrawals the
    /// state executed (read from the batch's forced records, where the circuit wrote its decisions).
    /// </summary>
    public IReadOnlyList<(BigInteger Recipient, ulong Amount)> Payouts(CircuitConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var paid = Withdrawals.Select(w => (w.Recipient, w.Amount)).ToList();
        if (!Forced.IsEmpty)
            paid.AddRange(BatchData.Decode(config, [.. DataWords]).Forced.Where(f => f.Executed && !f.Trade).Select(f => (f.Y, f.AmountOrPrice)));
        return paid;
    }

    /// <summary>What the committee stores: the data words as 32-byte big-endian numbers.</summary>
    public byte[] DataBytes() => PoseidonSponge.ToBytes([.. DataWords]);

    /// <summary>A freshly built batch, before proving.</summary>
    public static BatchRecord FromPending(PendingBatch pending, CutReason reason, StreamPosition through, OracleRound oracle, Fr opsHeadBefore,
        IEnumerable<DepositOp> deposits, IEnumerable<TradeOp> trades, IEnumerable<WithdrawalOp> withdrawals, IEnumerable<LiquidationOp>? liquidations = null,
        IEnumerable<ForcedOp>? forced = null, FundingOp? funding = null) => new()
    {
        Number = pending.BatchNumber,
        Status = BatchStatus.Cut,
        Reason = reason,
        Through = through,
        Oracle = oracle,
        OpsHeadBefore = opsHeadBefore,
        Deposits = [.. deposits],
        Trades = [.. trades],
        Withdrawals = [.. withdrawals],
        Liquidations = [.. liquidations ?? []],
        Forced = [.. forced ?? []],
        Funding = funding ?? FundingOp.None,
        DataWords = [.. pending.DataWords],
        Inputs = new Dictionary<string, Fr>(pending.Assignment),
        PublicInputs = [.. pending.PublicInputs],
    };

    /// <summary>
    /// The consistency a record must have whatever wrote it: eight public inputs, the batch number among them, the
    /// public inputs among the circuit inputs, the data commitment over the data words, a proof exactly when proven.
    /// </summary>
    public string? Validate()
    {
        if (PublicInputs.Length != BatchCircuit.PublicInputNames.Length)
            return $"{PublicInputs.Length} public inputs, the circuit has {BatchCircuit.PublicInputNames.Length}";
        if (PublicInputs[7] != Fr.FromUInt64(Number)) return $"its batchNumber public input is {PublicInputs[7]}";
        for (int i = 0; i < PublicInputs.Length; i++)
        {
            var name = BatchCircuit.PublicInputNames[i];
            if (!Inputs.TryGetValue(name, out var v) || v != PublicInputs[i]) return $"the circuit input {name} is missing or differs from public input {i}";
        }
        if (PoseidonSponge.Commit([.. DataWords]) != PublicInputs[2]) return "the data commitment is not the commitment of its data words";
        if (Oracle.Commitment != PublicInputs[5]) return "the oracle commitment is not the commitment of its oracle round";
        if (OpsHeadBefore != PublicInputs[3]) return "opsHeadBefore differs from its public input";
        if ((Status == BatchStatus.Proven) != (Proof is not null)) return Status == BatchStatus.Proven ? "it is marked proven but holds no proof" : "it holds a proof but is not marked proven";
        return null;
    }
}
