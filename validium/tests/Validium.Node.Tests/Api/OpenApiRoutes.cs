using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Validium.Node.Tests.Api;

internal static class OpenApiRoutes
{
    /// <summary>Every (method, path) the app maps under /v1, from the routing system rather than from the API's code.</summary>
    public static List<(string Method, string Path)> Mapped(WebApplication app) =>
        [.. app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (m, Normalize(e.RoutePattern.RawText!))))];

    /// <summary>Route constraints are not part of an OpenAPI path: {instrument:int} is {instrument}.</summary>
    private static string Normalize(string pattern) => System.Text.RegularExpressions.Regex.Replace(pattern, @"\{([^}:]+):[^}]+\}", "{$1}");
}
