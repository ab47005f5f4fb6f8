using System.Text.Json;
using Validium.Exchange;

namespace Validium.Node.Client;

/// <summary>A listed instrument with its current prices; <see cref="BestBid"/>/<see cref="BestAsk"/> are null when that side is empty.</summary>
public sealed record InstrumentDto(int Id, InstrumentSpec Spec, long MarkPrice, long IndexPrice, long FundingIndex, long? BestBid, long? BestAsk, bool Expired);

/// <summary>An account's money in collateral micro-units; <see cref="Nonce"/> is the last trader-command nonce used.</summary>
public sealed record AccountDto(int Id, long Nonce, long Collateral, long TotalValue, long InitialMargin, long MaintenanceMargin, long FreeCollateral,
    int OpenOrders, ulong WithdrawalNonce, string PublicKeyX, string PublicKeyY);

/// <summary>The account number of a public key (GET /v1/accounts/by-key/{ax}/{ay}).</summary>
public sealed record AccountIdDto(int Account);

public sealed record PositionDto(int Instrument, long Quantity, long Cost);

/// <summary>Net delta and gamma on one underlying, in raw quantity units (the engine's <c>Greeks</c>).</summary>
public sealed record GreeksDto(int Underlying, long Delta, long Gamma);

public sealed record MarginDto(long TotalValue, long InitialMargin, long MaintenanceMargin, long FreeCollateral, IReadOnlyList<GreeksDto> Greeks);

/// <summary>An open order; <see cref="Type"/>, <see cref="ExpiresAt"/>, <see cref="ReduceOnly"/> and <see cref="Stp"/> are what an amend of it carries.</summary>
public sealed record OrderDto(long OrderId, long ClientId, int Instrument, Side Side, long Price, long Quantity, long Filled,
    OrderType Type, long ExpiresAt, bool ReduceOnly, SelfTradePrevention Stp);

/// <summary>One side of one trade as its account saw it; a negative fee is a rebate.</summary>
public sealed record FillDto(long Sequence, long Time, int Instrument, long OrderId, long ClientId, Side Side, long Price, long Quantity, long Fee, bool Maker);

/// <summary>Newest first; pass <see cref="NextBefore"/> as <c>before</c> for the next page (null: no more).</summary>
public sealed record FillPage(IReadOnlyList<FillDto> Fills, long? NextBefore);

public sealed record LevelDto(long Price, long Quantity, int Orders);

public sealed record BookDto(int Instrument, long Sequence, IReadOnlyList<LevelDto> Bids, IReadOnlyList<LevelDto> Asks);

public sealed record TradeDto(long Sequence, long Time, int Instrument, Side TakerSide, long Price, long Quantity, int Taker, int Maker);

/// <summary>A signed place (ORDERS.md): the command's fields and the account key's EdDSA-Poseidon signature, packed as circomlibjs packs it (64 bytes, hex).</summary>
public sealed record PlaceOrderRequest(int Account, long Nonce, int Instrument, Side Side, OrderType Type, long Price, long Quantity, long ClientId,
    long ExpiresAt, bool ReduceOnly, SelfTradePrevention Stp, string Signature);

/// <summary>
/// A signed amend (ORDERS.md, "Amend"): the order's unchanged fields (instrument, side, type, expiry, reduce-only,
/// self-trade prevention, exactly as it rests), its new price and new remaining quantity, signed as a whole order.
/// </summary>
public sealed record AmendOrderRequest(int Account, long Nonce, long ClientId, int Instrument, Side Side, OrderType Type, long Price, long Quantity,
    long ExpiresAt, bool ReduceOnly, SelfTradePrevention Stp, string Signature);

public sealed record CancelRequest(int Account, long Nonce, long ClientId, string Signature);

/// <summary>Cancels every open order of the account, or only those of <see cref="Instrument"/> when it is 0 or more.</summary>
public sealed record CancelAllRequest(int Account, long Nonce, int Instrument, string Signature);

/// <summary>A withdrawal to an L1 address (0x + 40 hex), signed over <c>BatchEncoding.WithdrawalMessage</c>.</summary>
public sealed record WithdrawalRequestDto(int Account, ulong Nonce, ulong Amount, string Recipient, string Signature);

/// <summary>What the node answered to an accepted command: its journal sequence number and, for a place, the order id.</summary>
public sealed record CommandResult(long Sequence, bool Accepted, string Code, string Message, long OrderId);

/// <summary>A single-use challenge (decimal field element) to sign for an API key, valid until <see cref="ExpiresAt"/> (Unix ms).</summary>
public sealed record ChallengeDto(string Challenge, long ExpiresAt);

public sealed record ApiKeyRequest(int Account, string Challenge, string Signature);

public sealed record ApiKeyDto(string Key, int Account, long ExpiresAt);

/// <summary>Where a batch stands on L1, when a poster reports it: <see cref="State"/> is the poster's word (e.g. pending, submitted, accepted, failed).</summary>
public sealed record L1StatusDto(string State, string? Transaction, long? Block, string? Detail);

/// <summary><see cref="Forced"/>: L1 forced requests the batch consumed (executed or refused).</summary>
public sealed record BatchSummaryDto(ulong Number, string Status, string Reason, int Deposits, int Trades, int Withdrawals, long ThroughSequence,
    ulong OracleRound, L1StatusDto? L1, int Forced = 0);

/// <summary>Oldest first; pass <see cref="NextAfter"/> as <c>after</c> for the next page (null: no more).</summary>
public sealed record BatchPage(IReadOnlyList<BatchSummaryDto> Batches, ulong? NextAfter);

public sealed record PublicInputDto(string Name, string Value);

/// <summary>
/// A batch with its public inputs (decimal, in the contract's order), its proof as snarkjs writes proof.json and as
/// the 128-byte compressed form (0x hex, submitBatchCompressed's uint256[4]); both null until proven.
/// </summary>
public sealed record BatchDto(BatchSummaryDto Summary, IReadOnlyList<PublicInputDto> PublicInputs, JsonElement? Proof, string? ProofCompressed);

public sealed record OrderEventDto(long Sequence, long Time, EventKind Kind, int Instrument, long OrderId, long ClientId, Side Side, long Price, long Quantity, string? Reason);

/// <summary>What one command changed for the caller's account: order events, fills, and the account afterwards.</summary>
public sealed record AccountEventDto(long Sequence, IReadOnlyList<OrderEventDto> Orders, IReadOnlyList<FillDto> Fills, AccountDto? Account);

/// <summary>A client's stream request: <c>op</c> subscribe|unsubscribe, <c>channel</c> book|trades|account, <c>instrument</c> for book.</summary>
public sealed record StreamRequest(string Op, string Channel, int? Instrument = null);

/// <summary>
/// A server stream message: <c>type</c> subscribed|unsubscribed|book|trade|account|error; <see cref="Data"/> is a
/// <see cref="BookDto"/>, <see cref="TradeDto"/> or <see cref="AccountEventDto"/> by type.
/// </summary>
public sealed record StreamMessage(string Type, string? Channel, int? Instrument, JsonElement? Data, string? Message);
