using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Validium.Node.Client;

namespace Validium.Node.Api;

/// <summary>
/// Reads a JSON request body with the API's own limits and words: 415 for another content type, 413 past
/// <see cref="TraderApiOptions.MaxBodyBytes"/>, 400 naming the JSON path of a malformed or mistyped field.
/// </summary>
internal static class JsonBody
{
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext ctx, TraderApiOptions options) where T : class
    {
        var request = ctx.Request;
        if (!request.HasJsonContentType())
            return (null, Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "the body must be application/json"));
        if (request.ContentLength > options.MaxBodyBytes) return (null, TooLarge(options));
        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ctx.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > options.MaxBodyBytes) return (null, TooLarge(options));
            buffer.Write(chunk, 0, read);
        }
        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), TraderJson.Options);
            return value is null ? (null, Problems.Invalid("$", "the body is JSON null, not an object")) : (value, null);
        }
        catch (JsonException e)
        {
            string path = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
            return (null, Problems.Invalid(path, $"malformed JSON or a field of the wrong type at {path}"));
        }
    }

    private static IResult TooLarge(TraderApiOptions options) =>
        Problems.Status(StatusCodes.Status413PayloadTooLarge, "Body too large", $"the body is over {options.MaxBodyBytes} bytes");
}
