using Validium.Node.Client;
using Validium.Settlement;

namespace Validium.Node.Api;

/// <summary>The <see cref="BatchPoster"/>'s persisted status of a batch as the API's L1 status: stage, transaction, block, the error holding it.</summary>
public sealed class PosterL1Status(BatchPoster poster) : IBatchL1Status
{
    public L1StatusDto? Get(ulong batch) =>
        poster.Status(batch) is { } s ? new L1StatusDto(s.Stage.ToString(), s.TransactionHash, s.Block, s.LastError) : null;
}
