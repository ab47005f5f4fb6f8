using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Validium.Node.Hosting;

/// <summary>The exchange: unhealthy until the journal is replayed, or once applying has failed.</summary>
internal sealed class ExchangeHealthCheck(ExchangeHostedService host) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var exchange = host.Started;
        if (exchange is null) return Task.FromResult(HealthCheckResult.Unhealthy("starting: replaying the journal"));
        if (exchange.ApplyFault is { } fault) return Task.FromResult(HealthCheckResult.Unhealthy(fault));
        return Task.FromResult(HealthCheckResult.Healthy($"applied through command {exchange.LastApplied}"));
    }
}

/// <summary>The batcher and prover: unhealthy when it stopped, degraded while proofs fall behind.</summary>
internal sealed class BatcherHealthCheck(ExchangeHostedService host, NodeOptions options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var pipeline = host.Pipeline;
        if (pipeline is null) return Task.FromResult(HealthCheckResult.Unhealthy("starting: rebuilding the state trees from the batch files"));
        if (pipeline.Completion.IsFaulted) return Task.FromResult(HealthCheckResult.Unhealthy($"stopped: {pipeline.Completion.Exception?.GetBaseException().Message}"));
        if (host.Started?.BatcherFault is { } fault) return Task.FromResult(HealthCheckResult.Unhealthy(fault));
        if (pipeline.Unproven > options.Batcher.QueueCapacity)
            return Task.FromResult(HealthCheckResult.Degraded($"{pipeline.Unproven} batches wait for the prover"));
        return Task.FromResult(HealthCheckResult.Healthy($"{pipeline.Unproven} batches being proven"));
    }
}

/// <summary><c>/health</c> as JSON: the overall status and each component's status and reason; 503 when unhealthy.</summary>
internal static class HealthJson
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var components = new JsonObject();
        foreach (var (name, entry) in report.Entries)
            components[name] = new JsonObject { ["status"] = Name(entry.Status), ["reason"] = entry.Description ?? entry.Exception?.Message };
        var body = new JsonObject { ["status"] = Name(report.Status), ["components"] = components };
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static string Name(HealthStatus s) => s switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
