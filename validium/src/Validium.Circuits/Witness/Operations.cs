using System.Collections.Immutable;
using System.Numerics;
using Validium.Crypto;
using Validium.Exchange;

namespace Validium.Circuits.Witness;

/// <summary>
/// An L1 deposit as the contract queued it (Validium.sol deposit: the depositor's address, the key, the amount), with
/// the account number the operator credits: an account with that key, or an empty leaf that becomes one.
/// </summary>
public sealed record DepositOp(ulong Account, BabyJubjubPoint Key, ulong Amount, BigInteger Depositor);

/// <summary>An L1 deposit as queued (L1Operation kind 1): the key it credits, the amount and the depositor; what replay takes from L1.</summary>
public sealed record QueuedDeposit(BabyJubjubPoint Key, ulong Amount, BigInteger Depositor);

/// <summary>A place command, or the amend an open order last took (ORDERS.md), with the signature its account's key made over its hash.</summary>
public sealed record SignedOrder(Command Order, EdDsaSignature Signature)
{
    public Fr Hash => OrderSigning.Hash(Order);
}

/// <summary>A fill of <paramref name="Lots"/> lots at <paramref name="PriceTicks"/> ticks between a taker's and a maker's order.</summary>
public sealed record TradeOp(SignedOrder Taker, SignedOrder Maker, long PriceTicks, long Lots);

/// <summary>
/// A withdrawal the account's key signed (<see cref="BatchEncoding.WithdrawalMessage"/>): amount to an L1 recipient,
/// with a nonce above the account's last.
/// </summary>
public sealed record WithdrawalOp(ulong Account, ulong Nonce, ulong Amount, BigInteger Recipient, EdDsaSignature Signature);

/// <summary>One committed PriceOracle round: prices per instrument in collateral micro-units per lot, timestamp in seconds.</summary>
public sealed record OracleRound(ulong Round, ulong Timestamp, ImmutableArray<ulong> Prices)
{
    public Fr Commitment => BatchEncoding.OracleCommitment(Round, Timestamp, Prices);
}

/// <summary>
/// A forced request exactly as the contract queued it (the L1Operation event's word, a, b, c): kind 2, a withdrawal
/// of c from account x to recipient y by key (a, b); kind 3, a trade of signed(b) lots of an instrument at c per lot
/// between accounts x and y mod 2^64 whose keys hash to a. The batch consumes it whether it executes or not.
/// </summary>
public sealed record ForcedOp(Fr Word, Fr A, Fr B, Fr C)
{
    public static ForcedOp Withdrawal(ulong account, BabyJubjubPoint key, ulong amount, BigInteger recipient) =>
        new(BatchEncoding.ForcedWithdrawalL1Word(account, recipient), key.X, key.Y, amount);

    public static ForcedOp Trade(ulong accountA, ulong accountB, uint instrument, long size, ulong price, BabyJubjubPoint keyA, BabyJubjubPoint keyB) =>
        new(BatchEncoding.ForcedTradeL1Word(accountA, accountB, instrument), BatchEncoding.ForcedTradeKeys(keyA, keyB), State.FieldEncoding.Signed(size), price);

    public int Kind => (int)(Word.ToBigInteger() & 0xff);

    /// <summary>The word's x field: the account of a withdrawal, account A of a trade.</summary>
    public ulong X => (ulong)(Word.ToBigInteger() >> 8 & ulong.MaxValue);

    /// <summary>The word's y field: the recipient, or account B + instrument·2^64.</summary>
    public BigInteger Y => Word.ToBigInteger() >> 72;
}

/// <summary>One position the engine moved out of a liquidated account: to an account, lots (the liquidated side's sign), at mark ticks.</summary>
public sealed record PositionMove(ulong To, int Instrument, long Lots, long PriceTicks);

/// <summary>
/// A liquidation as the engine reported it (MARGIN.md, "Liquidation"): the account, its total value and maintenance
/// margin at the commit, the penalty it paid, the positions transferred to the liquidator, the deficit the insurance
/// fund covered, and what the circuit does not cover: positions auto-deleveraged and losses socialised. The witness
/// builder recomputes all of it from the state and refuses the batch where the engine did something else.
/// </summary>
public sealed record LiquidationOp(ulong Account, long TotalValue, long MaintenanceMargin, long Penalty, ImmutableArray<PositionMove> Transfers, long Cover,
    ImmutableArray<PositionMove> Deleveraged, long Socialised);
