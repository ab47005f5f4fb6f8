using System.Numerics;
using Validium.Crypto;
using Validium.State;

namespace Validium.Circuits.Witness;

/// <summary>
/// A built batch not yet part of the state: the circuit's full input assignment, its public inputs (the contract's
/// order), the batch data for the committee and the withdrawals for submitBatch's calldata. Commit writes the trees
/// (one atomic RocksDB batch) and the mirror; disposing without committing drops it.
/// </summary>
public sealed class PendingBatch : IDisposable
{
    private readonly StateBatch batch;
    private readonly StateMirror target;
    private readonly StateMirror staged;

    internal PendingBatch(StateBatch batch, StateMirror target, StateMirror staged, Dictionary<string, Fr> assignment, Fr[] publicInputs, Fr[] words,
        List<(BigInteger Recipient, ulong Amount)> withdrawals)
    {
        this.batch = batch;
        this.target = target;
        this.staged = staged;
        Assignment = assignment;
        PublicInputs = publicInputs;
        DataWords = words;
        Withdrawals = withdrawals;
    }

    public ulong BatchNumber => batch.BatchNumber;

    /// <summary>Every input of the circuit by name, public ones included.</summary>
    public IReadOnlyDictionary<string, Fr> Assignment { get; }

    /// <summary>oldRoot, newRoot, dataCommitment, opsHeadBefore, opsHeadAfter, oracleCommitment, withdrawalsCommitment, batchNumber.</summary>
    public IReadOnlyList<Fr> PublicInputs { get; }

    public IReadOnlyList<Fr> DataWords { get; }

    /// <summary>What the committee stores: the data words as 32-byte big-endian numbers.</summary>
    public byte[] DataBytes() => PoseidonSponge.ToBytes([.. DataWords]);

    public IReadOnlyList<(BigInteger Recipient, ulong Amount)> Withdrawals { get; }

    public Fr NewStateRoot => PublicInputs[1];

    public Fr NewOpsHead => PublicInputs[4];

    public void Commit()
    {
        batch.Commit();
        target.ReplaceWith(staged);
    }

    public void Dispose() => batch.Dispose();
}
