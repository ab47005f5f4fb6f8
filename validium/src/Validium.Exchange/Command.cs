using Validium.Crypto;

namespace Validium.Exchange;

/// <summary>
/// One input to the engine. Time (ms) arrives with every command; the engine never reads a clock.
/// Trader commands (Place, Cancel, Amend, CancelAll) are expected to have passed <see cref="OrderSigning.Verify"/>
/// already (possibly on another thread); the engine still checks the nonce, the expiry and that the verified key is the account's.
/// </summary>
public struct Command
{
    public CommandKind Kind;
    public Side Side;
    public OrderType Type;
    public SelfTradePrevention Stp;
    public bool ReduceOnly;
    public int Account;
    public int Instrument;
    public long Time;
    public long Nonce;
    public long Price;
    public long Quantity;
    public long ClientId;
    public long ExpiresAt;
    /// <summary>Deposit/withdraw amount; oracle index price (raw) for OracleIndex; option mark for OracleOption.</summary>
    public long Amount;
    public long DeltaPpm;
    public long GammaPpm;
    /// <summary>Deposit: the new account's public key; ListInstrument: the spec; OracleRound: its <see cref="RoundMarks"/>.</summary>
    public object? Payload;

    public static Command Place(long time, int account, long nonce, int instrument, Side side, OrderType type, long price, long quantity,
        long clientId, long expiresAt = 0, bool reduceOnly = false, SelfTradePrevention stp = SelfTradePrevention.CancelNewest) =>
        new()
        {
            Kind = CommandKind.Place, Time = time, Account = account, Nonce = nonce, Instrument = instrument, Side = side, Type = type,
            Price = price, Quantity = quantity, ClientId = clientId, ExpiresAt = expiresAt, ReduceOnly = reduceOnly, Stp = stp,
        };

    public static Command Cancel(long time, int account, long nonce, long clientId) =>
        new() { Kind = CommandKind.Cancel, Time = time, Account = account, Nonce = nonce, ClientId = clientId };

    /// <summary>
    /// New price and new remaining quantity for an open order. The amend also carries the order's unchanged fields
    /// (instrument, side, type, expiry, reduce-only, self-trade prevention), which must be the order's, so its signature
    /// covers a whole order: the batch circuit proves the amended order's trades from it (ORDERS.md, "Amend").
    /// </summary>
    public static Command Amend(long time, int account, long nonce, long clientId, long price, long quantity, int instrument, Side side,
        OrderType type = OrderType.Limit, long expiresAt = 0, bool reduceOnly = false, SelfTradePrevention stp = SelfTradePrevention.CancelNewest) =>
        new()
        {
            Kind = CommandKind.Amend, Time = time, Account = account, Nonce = nonce, Instrument = instrument, Side = side, Type = type,
            Price = price, Quantity = quantity, ClientId = clientId, ExpiresAt = expiresAt, ReduceOnly = reduceOnly, Stp = stp,
        };

    /// <summary>An amend of the order <paramref name="place"/> placed: its unchanged fields copied, a new price and remaining quantity.</summary>
    public static Command AmendOf(in Command place, long time, long nonce, long price, long quantity) =>
        Amend(time, place.Account, nonce, place.ClientId, price, quantity, place.Instrument, place.Side, place.Type, place.ExpiresAt, place.ReduceOnly, place.Stp);

    /// <summary>Cancels every open order of the account, or only those on one instrument when instrument ≥ 0.</summary>
    public static Command CancelAll(long time, int account, long nonce, int instrument = -1) =>
        new() { Kind = CommandKind.CancelAll, Time = time, Account = account, Nonce = nonce, Instrument = instrument };

    /// <summary>L1 deposit; creates the account with this key when it does not exist yet (the key is ignored otherwise).</summary>
    public static Command Deposit(long time, int account, BabyJubjubPoint key, long amount) =>
        new() { Kind = CommandKind.Deposit, Time = time, Account = account, Amount = amount, Payload = key };

    public static Command Withdraw(long time, int account, long amount) =>
        new() { Kind = CommandKind.Withdraw, Time = time, Account = account, Amount = amount };

    /// <summary>Committed oracle index of an underlying (raw price). Marks, expiries and liquidations follow from it.</summary>
    public static Command OracleIndex(long time, int underlying, long price) =>
        new() { Kind = CommandKind.OracleIndex, Time = time, Instrument = underlying, Amount = price };

    /// <summary>Committed option mark (raw price) with its delta (ppm) and gamma (delta ppm per 1% move).</summary>
    public static Command OracleOption(long time, int instrument, long mark, long deltaPpm, long gammaPpm) =>
        new() { Kind = CommandKind.OracleOption, Time = time, Instrument = instrument, Amount = mark, DeltaPpm = deltaPpm, GammaPpm = gammaPpm };

    /// <summary>
    /// A whole oracle round: every listed underlying's index (re-marking perpetuals, expiring due options), then every
    /// listed option's mark, and only then the re-marking of accounts and one liquidation pass, at the whole round.
    /// Underlyings and options in strictly ascending order; options that this round's index expires may not be marked.
    /// </summary>
    public static Command OracleRound(long time, IndexMark[] indices, OptionMark[] options) =>
        new() { Kind = CommandKind.OracleRound, Time = time, Payload = new RoundMarks(indices, options) };

    /// <summary>Settles one funding period of a perpetual from the premium samples gathered since the last one.</summary>
    public static Command Funding(long time, int instrument) =>
        new() { Kind = CommandKind.Funding, Time = time, Instrument = instrument };

    public static Command List(long time, InstrumentSpec spec) =>
        new() { Kind = CommandKind.ListInstrument, Time = time, Payload = spec };
}

/// <summary>One underlying's committed index (raw price) in a whole oracle round.</summary>
public readonly record struct IndexMark(int Underlying, long Price);

/// <summary>One option's committed mark (raw price), delta (ppm) and gamma (delta ppm per 1% move) in a whole oracle round.</summary>
public readonly record struct OptionMark(int Instrument, long Mark, long DeltaPpm, long GammaPpm);

/// <summary>The payload of <see cref="Command.OracleRound"/>; equal when both lists are, entry by entry.</summary>
public sealed record RoundMarks(IndexMark[] Indices, OptionMark[] Options)
{
    public bool Equals(RoundMarks? other) =>
        other is not null && Indices.AsSpan().SequenceEqual(other.Indices) && Options.AsSpan().SequenceEqual(other.Options);

    public override int GetHashCode() => HashCode.Combine(Indices.Length, Options.Length);
}

/// <summary>The engine's answer to one command.</summary>
public readonly record struct Outcome(RejectCode Code, long OrderId = 0)
{
    public bool Accepted => Code == RejectCode.None;
    public static Outcome Ok(long orderId = 0) => new(RejectCode.None, orderId);
}
