using System.Collections.Immutable;
using Validium.Accel;
using Validium.Batcher;
using Validium.Circuits;
using Validium.Crypto;
using Validium.Exchange;
using Validium.Node.Exchange;

namespace Validium.Node;

/// <summary>
/// Where the node talks to L1: the JSON-RPC endpoint, the deployed contracts and the operator's transaction key (a V3
/// keystore and the file holding its password). When <see cref="Enabled"/>, the node follows the contracts' events
/// from <see cref="StartBlock"/> (the deployment block) and posts its proven batches.
/// </summary>
public sealed record L1Options(Uri Rpc, long ChainId, string? Validium, string? Oracle, string OperatorKeyFile, TimeSpan PollInterval)
{
    public bool Enabled { get; init; }
    public string? OperatorPasswordFile { get; init; }
    public long StartBlock { get; init; }
    public int Confirmations { get; init; } = 2;
}

/// <summary>
/// What the batch poster does when the committee has not reached its threshold for a batch within
/// <see cref="AttestationTimeout"/> of the first attempt: post the batch's data on L1 itself (submitBatchWithData,
/// SPEC.md "On-chain data fallback") when <see cref="OnChainDataFallback"/>, else hold the batch, alert (poster health
/// Degraded) and keep asking the committee. Off by default: data on L1 costs far more gas than signatures.
/// </summary>
public sealed record PosterOptions(TimeSpan AttestationTimeout, bool OnChainDataFallback);

/// <summary>The data-availability committee: member URLs and how many signatures a batch needs.</summary>
public sealed record CommitteeOptions(ImmutableArray<Uri> Members, int Threshold, TimeSpan Timeout);

public enum LogFormat { Text, Json }

/// <summary>
/// Everything the node runs with, validated (<see cref="NodeConfiguration.Load"/> reads it from the layered
/// configuration and reports every bad setting at once). Paths are absolute.
/// </summary>
public sealed record NodeOptions
{
    /// <summary>Holds sequencer/ (the journal) and batches/ (circuit keys, batch files, state trees).</summary>
    public required string DataDir { get; init; }

    /// <summary>Kestrel's listen URLs; port 0 picks a free port (the node reports the one it got).</summary>
    public required ImmutableArray<string> Urls { get; init; }

    public required LogFormat LogFormat { get; init; }

    public required Microsoft.Extensions.Logging.LogLevel LogLevel { get; init; }

    public required AccelMode Accel { get; init; }

    public required L1Options L1 { get; init; }

    public required CommitteeOptions Committee { get; init; }

    public required PosterOptions Poster { get; init; }

    /// <summary>The batch circuit: depths, shape, fee account and the instrument table (from <see cref="Instruments"/>).</summary>
    public required CircuitConfig Circuit { get; init; }

    /// <summary>When the data directory has no circuit keys yet, make development keys from this seed (never for production); null: refuse to start without keys.</summary>
    public required int? DevSeed { get; init; }

    /// <summary>The instruments listed at start, in circuit-table order.</summary>
    public required ImmutableArray<InstrumentSpec> Instruments { get; init; }

    public required BatcherOptions Batcher { get; init; }

    public required EngineConfig Engine { get; init; }

    public required int DepthLevels { get; init; }
    public required int FillHistory { get; init; }
    public required int TradeHistory { get; init; }
    public required int SubscriberCapacity { get; init; }
    public required TimeSpan DrainTimeout { get; init; }

    /// <summary>The trader API's limits (Api:PermitsPerSecond and Api:Burst per API key's account; the rest as TraderApiOptions has them).</summary>
    public Api.TraderApiOptions Api { get; init; } = new();

    /// <summary>The key whose deposit opens the fee account.</summary>
    public required BabyJubjubPoint? OperatorKey { get; init; }

    /// <summary>The batcher's directory when it is not DataDir/batches (a devnet's, whose keys the deployed verifier checks).</summary>
    public string? BatchDirectory { get; init; }

    public string SequencerDir => Path.Combine(DataDir, "sequencer");
    public string BatchDir => BatchDirectory ?? Path.Combine(DataDir, "batches");

    /// <summary>The L1 watcher's cursor and acknowledgements, the poster's status file and the operator's nonces.</summary>
    public string L1Dir => Path.Combine(DataDir, "l1");

    public ExchangeServiceOptions ExchangeOptions(TimeProvider time) => new()
    {
        Directory = SequencerDir, Engine = Engine, OperatorKey = OperatorKey, DepthLevels = DepthLevels, FillHistory = FillHistory,
        TradeHistory = TradeHistory, SubscriberCapacity = SubscriberCapacity, DrainTimeout = DrainTimeout, Time = time,
    };
}
