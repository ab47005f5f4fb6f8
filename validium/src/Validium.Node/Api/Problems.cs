using Microsoft.AspNetCore.Http;
using Validium.Exchange;
using Validium.Node.Client;
using Validium.Node.Exchange;

namespace Validium.Node.Api;

/// <summary>Every refusal as RFC 7807 problem details; <c>code</c> carries the node's or engine's refusal code where there is one.</summary>
internal static class Problems
{
    public static IResult Status(int status, string title, string detail, string? code = null, IDictionary<string, object?>? extra = null)
    {
        var extensions = new Dictionary<string, object?>(extra ?? new Dictionary<string, object?>());
        if (code is not null) extensions["code"] = code;
        return Results.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);
    }

    public static IResult Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult Invalid(IDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, detail: "the request has invalid fields", title: "Invalid request");

    public static IResult NotFound(string detail) => Status(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult Unauthorized(string detail) => Status(StatusCodes.Status401Unauthorized, "API key required", detail);

    public static IResult Forbidden(string detail, string? code = null) => Status(StatusCodes.Status403Forbidden, "Forbidden", detail, code);

    public static IResult Unavailable(string detail) => Status(StatusCodes.Status503ServiceUnavailable, "Unavailable", detail, AckCodes.Unavailable);

    /// <summary>
    /// An accepted command is 200 with its <see cref="CommandResult"/>; a refusal is a problem whose status says
    /// whose fault it is: 403 bad signature, 404 unknown account, 409 refused by the exchange's state (nonce, margin,
    /// unknown order, ...), 422 valid but not provable, 503 the node cannot take commands.
    /// </summary>
    public static IResult FromAck(Ack ack)
    {
        if (ack.Accepted) return Results.Ok(new CommandResult(ack.Sequence, true, ack.Code, ack.Message, ack.OrderId));
        var (status, title) = ack.Code switch
        {
            AckCodes.BadSignature => (StatusCodes.Status403Forbidden, "Bad signature"),
            nameof(RejectCode.UnknownAccount) => (StatusCodes.Status404NotFound, "Unknown account"),
            AckCodes.Malformed => (StatusCodes.Status400BadRequest, "Malformed command"),
            AckCodes.NotProvable or AckCodes.FillSlotTaken => (StatusCodes.Status422UnprocessableEntity, "Not provable"),
            AckCodes.Unavailable => (StatusCodes.Status503ServiceUnavailable, "Unavailable"),
            _ => (StatusCodes.Status409Conflict, "Refused"),
        };
        return Status(status, title, ack.Message, ack.Code, new Dictionary<string, object?> { ["sequence"] = ack.Sequence });
    }
}
