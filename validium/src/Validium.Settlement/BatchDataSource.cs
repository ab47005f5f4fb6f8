using Validium.Crypto;
using Validium.L1.Rpc;

namespace Validium.Settlement;

/// <summary>
/// Where recovery reads each accepted batch's data: from L1 itself for a batch posted with its data
/// (<see cref="OnChainData"/>), from the committee members otherwise. Either copy is used only if it gives the
/// commitment L1 accepted. With no members given, only batches whose data is on L1 can be recovered.
/// </summary>
public sealed class BatchDataSource(EthClient eth, EthereumAddress validium, DacReader? committee)
{
    private readonly EthClient eth = eth ?? throw new ArgumentNullException(nameof(eth));

    public DacReader? Committee { get; } = committee;

    public async Task<byte[]> FetchAsync(SubmittedBatch batch, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.DataOnChain) return await OnChainData.ReadAsync(eth, validium, batch, ct);
        if (Committee is null)
            throw new InvalidOperationException($"batch {batch.Number} was accepted with the committee's signatures, so its data is with the members: give at least one member URL");
        return await Committee.FetchAsync(batch.Number, batch.DataCommitment, ct);
    }
}
