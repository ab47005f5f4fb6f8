using System.Diagnostics.Metrics;
using Validium.Crypto;

namespace Validium.Settlement;

/// <summary>
/// The poster's OpenTelemetry instruments on meter "Validium.Poster", every measurement tagged with the Validium
/// contract's address. The meter's scope is the poster's status directory: two chains started from the same dev keys
/// deploy to the same address, so only the directory tells their posters apart in one process (tests run several).
/// </summary>
internal sealed class PosterMetrics : IDisposable
{
    private readonly Meter meter;
    private readonly KeyValuePair<string, object?> contract;
    private readonly Counter<long> posted;
    private readonly Histogram<double> attestation;
    private readonly Histogram<long> gas;
    private readonly Counter<long> retries;
    private readonly Counter<long> fallback;

    public PosterMetrics(string directory, EthereumAddress validium, Func<long> confirmationLag, Func<long> backlog, Func<long> availabilityHeld)
    {
        meter = new(new MeterOptions(BatchPoster.MeterName) { Scope = Path.GetFullPath(directory) });
        contract = new("contract", validium.ToString());
        posted = meter.CreateCounter<long>("validium.poster.batches_posted", description: "batches accepted on L1 and confirmed");
        attestation = meter.CreateHistogram<double>("validium.poster.attestation.duration", "ms", "time from asking the committee to a threshold of signatures");
        gas = meter.CreateHistogram<long>("validium.poster.gas_used", "gas", "gas of each accepted submitBatch");
        retries = meter.CreateCounter<long>("validium.poster.retries", description: "failed attempts at a batch, by reason");
        fallback = meter.CreateCounter<long>("validium.poster.fallback_batches", description: "batches confirmed with their data on L1 (submitBatchWithData) because the committee missed its threshold");
        meter.CreateObservableGauge("validium.poster.confirmation_lag", () => new Measurement<long>(confirmationLag(), contract),
            "blocks", "blocks the batch in flight still needs before it counts as confirmed (0 when none waits)");
        meter.CreateObservableGauge("validium.poster.backlog", () => new Measurement<long>(backlog(), contract),
            "batches", "proven batches not yet confirmed on L1");
        meter.CreateObservableGauge("validium.poster.availability_held", () => new Measurement<long>(availabilityHeld(), contract),
            description: "1 while a batch is held because the committee is below threshold past the attestation timeout and the on-chain data fallback is disabled");
    }

    public void Posted() => posted.Add(1, contract);

    public void Attested(double milliseconds) => attestation.Record(milliseconds, contract);

    public void Gas(ulong used) => gas.Record((long)used, contract);

    public void Fallback() => fallback.Add(1, contract);

    public void Retry(string reason) => retries.Add(1, contract, new("reason", reason));

    public void Dispose() => meter.Dispose();
}
