using System.Collections.Immutable;
using Validium.Crypto;
using Validium.Exchange;

namespace Validium.Node.Exchange;

/// <summary>
/// The exchange as of one applied command: an immutable value published after every apply, so any thread reads a
/// consistent state without touching the single-threaded engine. Prices and quantities are the engine's raw units;
/// money is collateral micro-units.
/// </summary>
public sealed record ExchangeView(
    long Sequence,
    long Time,
    ImmutableArray<InstrumentInfo> Instruments,
    ImmutableDictionary<int, AccountState> Accounts,
    ImmutableArray<BookDepth> Books,
    ImmutableList<TradeView> RecentTrades,
    long LastL1Operation,
    ulong LastOracleRound)
{
    public static ExchangeView Empty { get; } = new(0, 0, [], ImmutableDictionary<int, AccountState>.Empty, [], [], -1, 0);
}

/// <summary>One listed instrument with its prices: mark and index, funding index, best bid and ask (-1 when that side is empty).</summary>
public sealed record InstrumentInfo(int Id, InstrumentSpec Spec, long MarkPrice, long IndexPrice, long FundingIndex, long BestBid, long BestAsk, bool Expired);

/// <summary>An open position: signed raw quantity and open cost.</summary>
public readonly record struct PositionView(int Instrument, long Quantity, long Cost);

/// <summary>Net delta and gamma of an account on one underlying (<see cref="Engine.Greeks"/>).</summary>
public readonly record struct GreeksView(int Underlying, long Delta, long Gamma);

/// <summary>
/// One account: collateral, value, margins and free collateral with the trader-command nonce (<see cref="AccountView"/>),
/// its key, its last withdrawal nonce, positions, greeks per underlying, open orders, and its latest fills (bounded).
/// </summary>
public sealed record AccountState(
    AccountView Summary,
    BabyJubjubPoint Key,
    ulong WithdrawalNonce,
    ImmutableArray<PositionView> Positions,
    ImmutableArray<GreeksView> Greeks,
    ImmutableArray<OrderView> OpenOrders,
    ImmutableList<FillView> Fills);

/// <summary>One side of one trade as its account saw it; <see cref="Fee"/> is what it paid (negative: a rebate).</summary>
public readonly record struct FillView(long Sequence, long Time, int Account, int Instrument, long OrderId, long ClientId, Side Side, long Price, long Quantity, long Fee, bool Maker);

/// <summary>A trade on the tape: taker side, price, quantity, both accounts.</summary>
public readonly record struct TradeView(long Sequence, long Time, int Instrument, Side TakerSide, long Price, long Quantity, int Taker, int Maker);

/// <summary>The best levels of an instrument's book as of <see cref="Sequence"/>, best first on each side.</summary>
public sealed record BookDepth(int Instrument, long Sequence, ImmutableArray<DepthLevel> Bids, ImmutableArray<DepthLevel> Asks);

/// <summary>An order event of one account: accepted, cancelled (<see cref="Reason"/> a <see cref="CancelReason"/>), amended, or rejected (a <see cref="RejectCode"/>).</summary>
public readonly record struct OrderUpdate(long Sequence, long Time, EventKind Kind, int Instrument, long OrderId, long ClientId, Side Side, long Price, long Quantity, byte Reason);

/// <summary>What one command changed for one account: its order events and fills, and the account afterwards.</summary>
public sealed record AccountUpdate(long Sequence, int Account, ImmutableArray<OrderUpdate> Orders, ImmutableArray<FillView> Fills, AccountState? State);
