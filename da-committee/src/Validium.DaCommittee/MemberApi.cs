using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Validium.Crypto;
using Validium.DaCommittee.Client;
using Validium.L1;

namespace Validium.DaCommittee;

/// <summary>The HTTP surface (routes in <see cref="DacRoutes"/>): submissions from the sequencer, reads for anyone.</summary>
internal static class MemberApi
{
    private const int MaxPage = 1000;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost(DacRoutes.Batch, SubmitAsync);
        app.MapGet(DacRoutes.Batch, (string number, MemberService member) =>
            ParseNumber(number, out var n) ? Guard(() => Serve(member.Read(n), $"batch {n}")) : BadRequest($"batch number '{number}' is not an unsigned integer"));
        app.MapGet(DacRoutes.ByCommitment, (string commitment, MemberService member) =>
            ParseCommitment(commitment, out var c) ? Guard(() => Serve(member.ReadByCommitment(c), $"commitment {commitment}")) : BadRequest($"'{commitment}' is not a 0x 32-byte field element"));
        app.MapGet(DacRoutes.List, (HttpRequest request, MemberService member) =>
        {
            var from = request.Query["from"].ToString();
            var limit = request.Query["limit"].ToString();
            ulong start = 0;
            int take = 100;
            if (from.Length > 0 && !ParseNumber(from, out start)) return BadRequest($"from '{from}' is not an unsigned integer");
            if (limit.Length > 0 && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxPage))
                return BadRequest($"limit must be in 1..{MaxPage}");
            var page = member.Store.List(start, take + 1);
            var shown = page.Take(take).Select(b => new BatchSummary(b.Number, Hex.Encode(b.Commitment.ToBigEndianBytes()), b.Size)).ToArray();
            return Results.Json(new BatchPage(shown, page.Count > take ? page[take].Number : null));
        });
        app.MapGet(DacRoutes.Info, async (MemberService member, CancellationToken ct) =>
        {
            try
            {
                return Results.Json(await member.InfoAsync(ct));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Error(503, DacErrors.NotAMember, $"cannot read the committee: {e.Message}");
            }
        });
        app.MapGet(DacRoutes.Health, (MemberService member) =>
        {
            try
            {
                return Results.Json(new { status = "ok", address = member.Address.ToString(), storedBatches = member.Store.EstimatedCount() });
            }
            catch (Exception e) when (e is IOException or RocksDbSharp.RocksDbException)
            {
                return Error(503, "unhealthy", e.Message);
            }
        });
    }

    private static async Task<IResult> SubmitAsync(string number, HttpRequest request, MemberService member, CancellationToken ct)
    {
        if (!ParseNumber(number, out var n)) return BadRequest($"batch number '{number}' is not an unsigned integer");
        long max = member.Options.Raw.MaxBatchBytes;
        if (request.ContentLength is { } declared && declared > max)
        {
            // The unread body makes Kestrel drop the connection after this reply; saying so keeps the
            // client from reusing it for its next request, which would otherwise end without a response.
            request.HttpContext.Response.Headers.Connection = "close";
            return Error(413, DacErrors.TooLarge, $"batch data is {declared} bytes, over the limit of {max}");
        }
        byte[] body;
        try
        {
            using var buffer = new MemoryStream(request.ContentLength is { } len ? (int)len : 0);
            await request.Body.CopyToAsync(buffer, ct);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            request.HttpContext.Response.Headers.Connection = "close";
            return Error(413, DacErrors.TooLarge, $"batch data is over the limit of {max} bytes");
        }
        try
        {
            var h = request.Headers;
            return Results.Json(await member.SubmitAsync(n, body, h[SubmitAuth.TimestampHeader].FirstOrDefault(), h[SubmitAuth.NonceHeader].FirstOrDefault(),
                h[SubmitAuth.SignatureHeader].FirstOrDefault(), ct));
        }
        catch (MemberRefusal r)
        {
            return Error(r.Status, r.Error, r.Message);
        }
    }

    private static IResult Serve((StoredBatch Batch, byte[] Data)? found, string what)
    {
        if (found is not { } f) return Error(404, DacErrors.NotFound, $"{what} is not stored here");
        return new BatchResult(f.Batch, f.Data);
    }

    private static IResult Guard(Func<IResult> read)
    {
        try
        {
            return read();
        }
        catch (CorruptedBatchException e)
        {
            return Error(500, DacErrors.Corrupted, e.Message);
        }
    }

    private static bool ParseNumber(string s, out ulong n) => ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out n);

    private static bool ParseCommitment(string s, out Fr c)
    {
        c = default;
        if (!s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || s.Length != 66) return false;
        var bytes = new byte[32];
        if (Convert.FromHexString(s.AsSpan(2), bytes, out _, out _) != System.Buffers.OperationStatus.Done) return false;
        var limbs = Limbs4.ReadBigEndian(bytes);
        if (!Mont<FrModulus>.IsCanonical(limbs)) return false;
        c = Fr.FromCanonical(limbs);
        return true;
    }

    private static IResult BadRequest(string message) => Error(400, DacErrors.BadRequest, message);

    private static IResult Error(int status, string error, string message) => Results.Json(new ErrorResponse(error, message), statusCode: status);

    /// <summary>The raw batch bytes, with the number and commitment as headers so a reader can re-check them.</summary>
    private sealed class BatchResult(StoredBatch batch, byte[] data) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength = data.Length;
            context.Response.Headers[DacRoutes.CommitmentHeader] = Hex.Encode(batch.Commitment.ToBigEndianBytes());
            context.Response.Headers[DacRoutes.BatchHeader] = batch.Number.ToString(CultureInfo.InvariantCulture);
            await context.Response.Body.WriteAsync(data, context.RequestAborted);
        }
    }
}
