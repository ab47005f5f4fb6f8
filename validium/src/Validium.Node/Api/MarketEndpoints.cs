using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Validium.Batcher;
using Validium.Node.Client;

namespace Validium.Node.Api;

/// <summary>Public reads: instruments, book depth, the trade tape, batches with their proofs.</summary>
internal static class MarketEndpoints
{
    public static void Map(RouteGroupBuilder v1, TraderApiOptions options)
    {
        v1.MapGet("/instruments", (HttpContext ctx) =>
                TraderApi.Exchange(ctx, out var ex) ?? Results.Ok(ex.View.Instruments.Select(Dto.Instrument).ToList()))
            .WithName("Instruments").WithSummary("Listed instruments with mark, index, funding index and best prices")
            .Produces<List<InstrumentDto>>().ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        v1.MapGet("/books/{instrument:int}", (HttpContext ctx, int instrument, int? levels) =>
            {
                if (TraderApi.Exchange(ctx, out var ex) is { } down) return down;
                if (levels is < 1) return Problems.Invalid("levels", "levels must be at least 1");
                var books = ex.View.Books;
                if (instrument < 0 || instrument >= books.Length) return Problems.NotFound($"no instrument {instrument}");
                return Results.Ok(Dto.Book(books[instrument], levels ?? int.MaxValue));
            })
            .WithName("Book").WithSummary("Book depth of one instrument, best levels first")
            .Produces<BookDto>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        v1.MapGet("/trades", (HttpContext ctx, int? limit) =>
            {
                if (TraderApi.Exchange(ctx, out var ex) is { } down) return down;
                if (limit is < 1) return Problems.Invalid("limit", "limit must be at least 1");
                var tape = ex.View.RecentTrades;
                int n = Math.Min(limit ?? options.MaxPage, Math.Min(options.MaxPage, tape.Count));
                return Results.Ok(tape.Reverse().Take(n).Select(Dto.Trade).ToList());
            })
            .WithName("Trades").WithSummary("The latest trades, newest first")
            .Produces<List<TradeDto>>().ProducesValidationProblem();

        v1.MapGet("/batches", (HttpContext ctx, ulong? after, int? limit) =>
            {
                if (Store(ctx, out var store) is { } down) return down;
                if (limit is < 1) return Problems.Invalid("limit", "limit must be at least 1");
                int n = Math.Min(limit ?? 50, options.MaxPage);
                var numbers = store.List().Where(b => b > (after ?? 0)).ToList();
                var l1 = ctx.RequestServices.GetService<IBatchL1Status>();
                var page = numbers.Take(n).Select(b => Dto.BatchSummary(store.Read(b), l1)).ToList();
                return Results.Ok(new BatchPage(page, numbers.Count > n ? page[^1].Number : null));
            })
            .WithName("Batches").WithSummary("Batches oldest first, after a batch number: status, cut reason, operation counts, L1 status")
            .Produces<BatchPage>().ProducesValidationProblem();

        v1.MapGet("/batches/{number}", (HttpContext ctx, ulong number) =>
            {
                if (Store(ctx, out var store) is { } down) return down;
                var numbers = store.List();
                if (number == 0 || number > (ulong)numbers.Count) return Problems.NotFound($"no batch {number} (there are {numbers.Count})");
                return Results.Ok(Dto.Batch(store.Read(number), ctx.RequestServices.GetService<IBatchL1Status>()));
            })
            .WithName("Batch").WithSummary("One batch: summary, public inputs, proof (snarkjs JSON and compressed hex), L1 status")
            .Produces<BatchDto>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static IResult? Store(HttpContext ctx, out BatchStore store)
    {
        store = ctx.RequestServices.GetService<BatchStore>()!;
        return store is null ? Problems.Unavailable("the batch store is not open") : null;
    }
}
