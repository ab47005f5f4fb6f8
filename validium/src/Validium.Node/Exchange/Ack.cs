using Validium.Exchange;

namespace Validium.Node.Exchange;

/// <summary>
/// The answer to a submitted command. <see cref="Sequence"/> is its journal sequence number once it was durable and
/// applied; 0 when it was refused before reaching the journal (malformed, a bad signature checkable up front, the node
/// stopping). <see cref="Code"/> is <see cref="AckCodes.Ok"/>, an engine <see cref="RejectCode"/> name, or one of
/// the node's own codes in <see cref="AckCodes"/>; <see cref="Message"/> says why in words. <see cref="OrderId"/> is
/// an accepted place's order id, <see cref="Account"/> the account an accepted deposit credited.
/// </summary>
public sealed record Ack(long Sequence, bool Accepted, string Code, string Message, long OrderId = 0, int? Account = null)
{
    internal static Ack Ok(long sequence, long orderId = 0) => new(sequence, true, AckCodes.Ok, "accepted", orderId);

    internal static Ack Refused(long sequence, string code, string message) => new(sequence, false, code, message);

    internal static Ack FromOutcome(long sequence, Outcome outcome, string what) =>
        outcome.Accepted ? Ok(sequence, outcome.OrderId) : Refused(sequence, outcome.Code.ToString(), $"{what} refused by the exchange: {outcome.Code}");
}

/// <summary>The node's refusal codes beside the engine's <see cref="RejectCode"/> names.</summary>
public static class AckCodes
{
    public const string Ok = "Ok";

    /// <summary>Bytes or fields that are not a valid command.</summary>
    public const string Malformed = nameof(RejectCode.MalformedCommand);

    /// <summary>The signature is not the account key's over the command.</summary>
    public const string BadSignature = nameof(RejectCode.BadSignature);

    /// <summary>A withdrawal nonce not above the account's last withdrawal nonce.</summary>
    public const string BadNonce = nameof(RejectCode.BadNonce);

    /// <summary>The order's hash lands on an order-fill slot another order holds (STATE.md): re-sign with another nonce.</summary>
    public const string FillSlotTaken = "FillSlotTaken";

    /// <summary>The command is valid for the engine but the batch circuit could not prove its result.</summary>
    public const string NotProvable = "NotProvable";

    /// <summary>An L1 operation or oracle round that was applied before (the watcher delivered it again).</summary>
    public const string Duplicate = "Duplicate";

    /// <summary>
    /// An L1 forced trade (or a withdrawal from an account holding positions) arrived before the exchange knows an
    /// oracle round to decide it at (a batch is proven against one): it was not applied and is to be submitted again
    /// once a round is committed.
    /// </summary>
    public const string NoOracleRound = "NoOracleRound";

    /// <summary>No account number is free for a new key.</summary>
    public const string NoFreeAccount = "NoFreeAccount";

    /// <summary>The node is stopping or stopped; the command was not journaled.</summary>
    public const string Unavailable = "Unavailable";
}
