namespace Validium.Node.Dashboard;

/// <summary>
/// What GET /operator/overview answers. Prices and quantities are the engine's raw units (as the trader API's),
/// times are Unix milliseconds; a part that could not be read carries its error instead of failing the whole answer.
/// </summary>
public sealed record Overview(long Time, NodeSection Node, IReadOnlyList<InstrumentBook> Books, PipelineSection Pipeline, CommitteeSection Committee, L1Section L1);

/// <summary>The exchange's state: started or not, last applied command, and its fault when it stopped applying.</summary>
public sealed record NodeSection(bool Started, long Sequence, string? Fault);

public sealed record BookLevel(long Price, long Quantity, int Orders);

public sealed record TradeRow(long Sequence, long Time, string TakerSide, long Price, long Quantity, int Taker, int Maker);

public sealed record InstrumentBook(int Instrument, string Kind, long MarkPrice, long IndexPrice, long BestBid, long BestAsk,
    IReadOnlyList<BookLevel> Bids, IReadOnlyList<BookLevel> Asks, IReadOnlyList<TradeRow> Trades);

/// <summary>
/// The batch pipeline: queue depth, batches persisted but unproven, the stage of the proof in progress, back-pressure
/// waits, and the latest batches (newest first).
/// </summary>
public sealed record PipelineSection(bool Started, int QueueDepth, long Unproven, string? Stage, long BackPressureWaits, string? Fault, string? Error,
    IReadOnlyList<BatchRow> Batches);

/// <summary>
/// One batch: status, why it was cut, its operations, how long its proof took (null when proven before this node
/// started, or not yet proven), and where it stands on L1 when the poster's status is wired in.
/// </summary>
public sealed record BatchRow(ulong Number, string Status, string Reason, int Deposits, int Trades, int Withdrawals, int Operations,
    double? ProvingSeconds, long? ProvenAt, BatchL1Row? L1);

/// <summary><see cref="DataPath"/>: "committee" (signatures on L1) or "on-chain" (the data itself on L1), once decided.</summary>
public sealed record BatchL1Row(string Stage, long? Block, string? TransactionHash, long? Confirmations, string? LastError, string? DataPath = null);

public sealed record CommitteeSection(IReadOnlyList<MemberHealth> Members);

/// <summary>One member's last poll: up when its /health answered 2xx within the timeout.</summary>
public sealed record MemberHealth(string Url, bool? Up, double? LatencyMs, string? LastError, long? CheckedAt, long? LastUpAt);

/// <summary>
/// L1 as last read: head block and the contract's batch number, or the error reading them; <see cref="PosterAlert"/>
/// while the poster holds a batch for want of data availability (nothing posted).
/// </summary>
public sealed record L1Section(bool Configured, long? Head, ulong? ContractBatch, string? Error, long? CheckedAt, string? PosterAlert = null);
