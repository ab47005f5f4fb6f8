using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Validium.Crypto;
using Validium.Exchange;
using Validium.Node.Client;
using Validium.Node.Exchange;

namespace Validium.Node.Api;

/// <summary>API keys, and the reads of the key's own account.</summary>
internal static class AccountEndpoints
{
    public static void Map(RouteGroupBuilder v1, TraderApiOptions options)
    {
        v1.MapPost("/auth/challenge", (HttpContext ctx) =>
                ctx.RequestServices.GetRequiredService<ApiKeys>().NewChallenge() is { } c
                    ? Results.Ok(c)
                    : Problems.Unavailable("too many challenges are outstanding; retry shortly"))
            .WithName("Challenge").WithSummary("A single-use challenge to sign for an API key")
            .Produces<ChallengeDto>().ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        v1.MapPost("/auth/keys", async (HttpContext ctx, CancellationToken ct) =>
            {
                var (request, problem) = await JsonBody.ReadAsync<ApiKeyRequest>(ctx, options).ConfigureAwait(false);
                if (problem is not null) return problem;
                if (TraderApi.Exchange(ctx, out var ex) is { } down) return down;
                if (!ApiAuth.TryParseSignature(request!.Signature, out var signature)) return Problems.Invalid("signature", SignatureFormat);
                if (!Fr.TryParse(request.Challenge, out var challenge)) return Problems.Invalid("challenge", "the challenge is a decimal field element from auth/challenge");
                var keys = ctx.RequestServices.GetRequiredService<ApiKeys>();
                if (!keys.TakeChallenge(request.Challenge))
                    return Problems.Forbidden("the challenge is unknown, used or expired: get a new one", "BadChallenge");
                if (!ex.View.Accounts.TryGetValue(request.Account, out var account)) return Problems.NotFound($"no account {request.Account}");
                if (!EdDsaPoseidon.Verify(ApiAuth.KeyMessage(request.Account, challenge), signature, account.Key))
                    return Problems.Forbidden($"the signature is not account {request.Account}'s key's over the challenge", AckCodes.BadSignature);
                return Results.Ok(keys.Issue(request.Account));
            })
            .WithName("ApiKey").WithSummary("An API key for an account, against its key's signature over a challenge")
            .Accepts<ApiKeyRequest>("application/json").Produces<ApiKeyDto>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        v1.MapGet("/accounts/by-key/{ax}/{ay}", (HttpContext ctx, string ax, string ay) =>
            {
                if (TraderApi.Exchange(ctx, out var ex) is { } down) return down;
                if (!Fr.TryParse(ax, out var x)) return Problems.Invalid("ax", "ax is the public key's x coordinate, a decimal field element");
                if (!Fr.TryParse(ay, out var y)) return Problems.Invalid("ay", "ay is the public key's y coordinate, a decimal field element");
                var key = new BabyJubjubPoint(x, y);
                // An L1 deposit names only a key; the account number the exchange gave it is what a trader signs with.
                foreach (var (id, account) in ex.View.Accounts)
                    if (account.Key == key) return Results.Ok(new AccountIdDto(id));
                return Problems.NotFound($"no account has the key ({ax}, {ay}) yet: its L1 deposit has not reached the exchange");
            })
            .WithName("AccountByKey").WithSummary("The account number an L1 deposit to this EdDSA public key created")
            .Produces<AccountIdDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        MapRead(v1, "/account", "Account", "The key's account: collateral, total value, initial and maintenance margin, free collateral, nonces",
            (_, a) => Results.Ok(Dto.Account(a)), typeof(AccountDto));
        MapRead(v1, "/account/positions", "Positions", "Open positions of the key's account",
            (_, a) => Results.Ok(a.Positions.Select(p => new PositionDto(p.Instrument, p.Quantity, p.Cost)).ToList()), typeof(List<PositionDto>));
        MapRead(v1, "/account/margin", "Margin", "Margin of the key's account with delta and gamma per underlying",
            (_, a) => Results.Ok(Dto.Margin(a)), typeof(MarginDto));
        MapRead(v1, "/account/orders", "OpenOrders", "Open orders of the key's account",
            (_, a) => Results.Ok(a.OpenOrders.Select(Dto.Order).ToList()), typeof(List<OrderDto>));
        MapRead(v1, "/account/fills", "Fills", "Fills of the key's account, newest first, paged by sequence number (before, limit)",
            (ctx, a) => Fills(ctx, a, options), typeof(FillPage));
    }

    public const string SignatureFormat = "the signature is 128 hex digits: circomlibjs packSignature (packed R8, then S little-endian)";

    private static void MapRead(RouteGroupBuilder v1, string path, string name, string summary, Func<HttpContext, AccountState, IResult> read, Type response)
    {
        v1.MapGet(path, (HttpContext ctx) =>
            {
                if (TraderApi.Authenticate(ctx, out int id) is { } refused) return refused;
                if (TraderApi.Exchange(ctx, out var ex) is { } down) return down;
                return ex.View.Accounts.TryGetValue(id, out var account) ? read(ctx, account) : Problems.NotFound($"no account {id}");
            })
            .WithName(name).WithSummary(summary)
            .Produces(StatusCodes.Status200OK, response).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static IResult Fills(HttpContext ctx, AccountState account, TraderApiOptions options)
    {
        var query = ctx.Request.Query;
        long? before = null;
        int limit = 100;
        if (query.TryGetValue("before", out var b))
        {
            if (!long.TryParse(b, out long v) || v < 1) return Problems.Invalid("before", "before is a sequence number, at least 1");
            before = v;
        }
        if (query.TryGetValue("limit", out var l) && (!int.TryParse(l, out limit) || limit < 1))
            return Problems.Invalid("limit", "limit must be at least 1");
        limit = Math.Min(limit, options.MaxPage);
        var page = new List<FillDto>();
        long? next = null;
        var fills = account.Fills;
        for (int i = fills.Count - 1; i >= 0; i--)
        {
            var f = fills[i];
            if (before is { } cut && f.Sequence >= cut) continue;
            // A page never splits one command's fills, so "before" the last sequence is an exact cursor.
            if (page.Count >= limit && f.Sequence != page[^1].Sequence)
            {
                next = page[^1].Sequence;
                break;
            }
            page.Add(Dto.Fill(f));
        }
        return Results.Ok(new FillPage(page, next));
    }
}
