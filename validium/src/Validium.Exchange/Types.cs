namespace Validium.Exchange;

public enum Side : byte { Buy = 0, Sell = 1 }

/// <summary>How an order meets the book. Limit is good-till-cancelled (or till its expiry time).</summary>
public enum OrderType : byte { Limit = 0, Market = 1, Ioc = 2, Fok = 3, PostOnly = 4 }

/// <summary>What happens when an order would trade against another order of the same account.</summary>
public enum SelfTradePrevention : byte { CancelNewest = 0, CancelOldest = 1, CancelBoth = 2 }

public enum InstrumentKind : byte { Perpetual = 0, Call = 1, Put = 2 }

public enum CommandKind : byte
{
    Place = 1,
    Cancel = 2,
    Amend = 3,
    CancelAll = 4,
    Deposit = 10,
    Withdraw = 11,
    OracleIndex = 20,
    OracleOption = 21,
    Funding = 22,
    OracleRound = 23,
    ListInstrument = 30,
}

/// <summary>Why a command was refused. Bad user input always ends here, never in an exception.</summary>
public enum RejectCode : byte
{
    None = 0,
    UnknownAccount,
    UnknownInstrument,
    InstrumentExpired,
    BadNonce,
    Expired,
    TimeWentBackwards,
    BadSide,
    BadOrderType,
    BadPrice,
    PriceNotOnTick,
    QuantityNotOnLot,
    BelowMinimumSize,
    AboveMaximumSize,
    PriceOutOfBand,
    NoMarkPrice,
    PostOnlyWouldTake,
    FokNotFillable,
    ReduceOnlyWouldIncrease,
    InsufficientMargin,
    PositionLimit,
    DuplicateClientOrderId,
    UnknownOrder,
    NothingToAmend,
    BadAmount,
    InsufficientCollateral,
    AccountLimit,
    KeyMismatch,
    BadSignature,
    NotAPerpetual,
    NotAnOption,
    BadInstrumentSpec,
    InstrumentLimit,
    BadOraclePrice,
    /// <summary>The bytes were not a command's canonical encoding (<see cref="CommandCodec"/>); never produced by the engine itself.</summary>
    MalformedCommand,
    /// <summary>An amend whose instrument, side, type, expiry, reduce-only or self-trade prevention is not the order's.</summary>
    AmendMismatch,
    /// <summary>A whole-round oracle command without entries, or whose underlyings or options are not in strictly ascending order.</summary>
    BadOracleRound,
}

public enum EventKind : byte
{
    Accepted = 1,
    Trade = 2,
    Cancelled = 3,
    Amended = 4,
    Rejected = 5,
    Deposit = 10,
    Withdrawal = 11,
    /// <summary>An L1 forced withdrawal consumed: Reason 0 when it was paid, else the <see cref="RejectCode"/> that refused it.</summary>
    ForcedWithdrawal = 12,
    /// <summary>An L1 forced trade consumed: Reason 0 when both positions moved, else the <see cref="RejectCode"/> that refused it.</summary>
    ForcedTrade = 13,
    OracleIndex = 20,
    OracleOption = 21,
    Funding = 22,
    FundingPayment = 23,
    Expiry = 24,
    ExpirySettlement = 25,
    Liquidation = 30,
    PositionTransfer = 31,
    Deleverage = 32,
    InsuranceCover = 33,
    SocialisedLoss = 34,
    InstrumentListed = 40,
}

/// <summary>Why an order left the book without trading fully.</summary>
public enum CancelReason : byte
{
    User = 0,
    UserAll = 1,
    ImmediateRemainder = 2,
    SelfTrade = 3,
    Expired = 4,
    ReduceOnly = 5,
    Liquidation = 6,
    InstrumentExpiry = 7,
    Amend = 8,
    /// <summary>An L1 forced request left the account without free collateral for its open orders.</summary>
    ForcedRequest = 9,
}
