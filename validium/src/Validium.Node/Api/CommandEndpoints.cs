using System.Globalization;
using System.Numerics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Validium.Crypto;
using Validium.Exchange;
using Validium.Node.Client;
using Validium.Node.Exchange;

namespace Validium.Node.Api;

/// <summary>
/// Signed trader commands. Each needs an API key of the command's own account (so rate limits are per key) and
/// carries its own EdDSA-Poseidon signature, which the node checks before journaling and the engine again.
/// </summary>
internal static class CommandEndpoints
{
    public static void Map(RouteGroupBuilder v1, TraderApiOptions options)
    {
        v1.MapPost("/orders", (HttpContext ctx, CancellationToken ct) => Handle<PlaceOrderRequest>(ctx, options, r => r.Account, r => r.Signature, r =>
            {
                var errors = new Dictionary<string, string[]>();
                if (!Enum.IsDefined(r.Side)) errors["side"] = ["side is Buy or Sell"];
                if (!Enum.IsDefined(r.Type)) errors["type"] = ["type is Limit, Market, Ioc, Fok or PostOnly"];
                if (!Enum.IsDefined(r.Stp)) errors["stp"] = ["stp is CancelNewest, CancelOldest or CancelBoth"];
                if (r.Instrument < 0) errors["instrument"] = ["instrument must be 0 or more"];
                if (r.Quantity <= 0) errors["quantity"] = ["quantity must be positive"];
                if (r.Price < 0) errors["price"] = ["price must be 0 or more"];
                if (r.ExpiresAt < 0) errors["expiresAt"] = ["expiresAt is a Unix time in ms, or 0 for none"];
                return errors;
            }, (ex, r, sig, ct) => ex.PlaceAsync(
                Command.Place(0, r.Account, r.Nonce, r.Instrument, r.Side, r.Type, r.Price, r.Quantity, r.ClientId, r.ExpiresAt, r.ReduceOnly, r.Stp), sig, ct)))
            .WithName("PlaceOrder").WithSummary("Places a signed order; answers with its sequence number and order id once journaled and applied")
            .Accepts<PlaceOrderRequest>("application/json").WithCommandResponses();

        v1.MapPost("/orders/amend", (HttpContext ctx, CancellationToken ct) => Handle<AmendOrderRequest>(ctx, options, r => r.Account, r => r.Signature, r =>
            {
                var errors = new Dictionary<string, string[]>();
                if (!Enum.IsDefined(r.Side)) errors["side"] = ["side is Buy or Sell"];
                if (r.Type is not (OrderType.Limit or OrderType.PostOnly)) errors["type"] = ["type is the resting order's: Limit or PostOnly"];
                if (!Enum.IsDefined(r.Stp)) errors["stp"] = ["stp is CancelNewest, CancelOldest or CancelBoth"];
                if (r.Instrument < 0) errors["instrument"] = ["instrument must be 0 or more"];
                if (r.Quantity <= 0) errors["quantity"] = ["quantity (the new remaining quantity) must be positive"];
                if (r.Price <= 0) errors["price"] = ["price must be positive"];
                if (r.ExpiresAt < 0) errors["expiresAt"] = ["expiresAt is the order's: a Unix time in ms, or 0 for none"];
                return errors;
            }, (ex, r, sig, ct) => ex.AmendAsync(
                Command.Amend(0, r.Account, r.Nonce, r.ClientId, r.Price, r.Quantity, r.Instrument, r.Side, r.Type, r.ExpiresAt, r.ReduceOnly, r.Stp), sig, ct)))
            .WithName("AmendOrder").WithSummary("Amends an open order to a new price and remaining quantity; signed over the whole order as it rests (ORDERS.md)")
            .Accepts<AmendOrderRequest>("application/json").WithCommandResponses();

        v1.MapPost("/orders/cancel", (HttpContext ctx, CancellationToken ct) => Handle<CancelRequest>(ctx, options, r => r.Account, r => r.Signature, _ => [],
                (ex, r, sig, ct) => ex.CancelAsync(Command.Cancel(0, r.Account, r.Nonce, r.ClientId), sig, ct)))
            .WithName("CancelOrder").WithSummary("Cancels one open order by client id (signed)")
            .Accepts<CancelRequest>("application/json").WithCommandResponses();

        v1.MapPost("/orders/cancel-all", (HttpContext ctx, CancellationToken ct) => Handle<CancelAllRequest>(ctx, options, r => r.Account, r => r.Signature,
                r => r.Instrument < -1 ? new() { ["instrument"] = ["instrument is -1 (all) or an instrument id"] } : [],
                (ex, r, sig, ct) => ex.CancelAsync(Command.CancelAll(0, r.Account, r.Nonce, r.Instrument), sig, ct)))
            .WithName("CancelAll").WithSummary("Cancels every open order of the account, or of one instrument (signed)")
            .Accepts<CancelAllRequest>("application/json").WithCommandResponses();

        v1.MapPost("/withdrawals", (HttpContext ctx, CancellationToken ct) =>
            {
                BigInteger recipient = default;
                return Handle<WithdrawalRequestDto>(ctx, options, r => r.Account, r => r.Signature, r =>
                {
                    var errors = new Dictionary<string, string[]>();
                    if (r.Nonce == 0) errors["nonce"] = ["nonce must be above the account's last withdrawal nonce (at least 1)"];
                    if (r.Amount == 0) errors["amount"] = ["amount must be positive"];
                    if (!TryParseAddress(r.Recipient, out recipient)) errors["recipient"] = ["recipient is an L1 address: 0x and 40 hex digits"];
                    return errors;
                }, (ex, r, sig, ct) => ex.WithdrawAsync(new WithdrawalRequest(r.Account, r.Nonce, r.Amount, recipient, sig), ct));
            })
            .WithName("Withdraw").WithSummary("A signed withdrawal to an L1 address; accepted ones go out in the next batch")
            .Accepts<WithdrawalRequestDto>("application/json").WithCommandResponses();
    }

    private static RouteHandlerBuilder WithCommandResponses(this RouteHandlerBuilder b) =>
        b.Produces<CommandResult>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<IResult> Handle<T>(HttpContext ctx, TraderApiOptions options, Func<T, int> accountOf, Func<T, string?> signatureOf,
        Func<T, Dictionary<string, string[]>> validate, Func<ExchangeService, T, EdDsaSignature, CancellationToken, Task<Ack>> submit) where T : class
    {
        if (TraderApi.Authenticate(ctx, out int keyAccount) is { } refused) return refused;
        var (request, problem) = await JsonBody.ReadAsync<T>(ctx, options).ConfigureAwait(false);
        if (problem is not null) return problem;
        var errors = validate(request!);
        if (!ApiAuth.TryParseSignature(signatureOf(request!), out var signature)) errors["signature"] = [AccountEndpoints.SignatureFormat];
        int account = accountOf(request!);
        if (account < 0) errors["account"] = ["account must be 0 or more"];
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (account != keyAccount)
            return Problems.Forbidden($"the API key is account {keyAccount}'s; the command is for account {account.ToString(CultureInfo.InvariantCulture)}");
        if (TraderApi.Exchange(ctx, out var ex) is { } down) return down;
        if (!ex.View.Accounts.ContainsKey(account)) return Problems.NotFound($"no account {account}");
        // Not the request's abort token: once submitted, the command is journaled whether or not the caller waits for the answer.
        return Problems.FromAck(await submit(ex, request!, signature, CancellationToken.None).ConfigureAwait(false));
    }

    private static bool TryParseAddress(string? text, out BigInteger address)
    {
        address = default;
        if (text is not { Length: 42 } || !text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) return false;
        var hex = text.AsSpan(2);
        foreach (char c in hex)
            if (!char.IsAsciiHexDigit(c)) return false;
        address = new BigInteger(Convert.FromHexString(hex), isUnsigned: true, isBigEndian: true);
        return true;
    }
}
