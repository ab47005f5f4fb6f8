using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Validium.Accel;
using Validium.Batcher;
using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Node.Exchange;
using Validium.Proving.Groth16;

namespace Validium.Node.Hosting;

/// <summary>
/// The sequencer, exchange, batcher and prover as one hosted service: they share the apply thread's output and stop
/// together. Starting opens (or, with a development seed, creates) the circuit keys, rebuilds the state trees from the
/// batch files, replays the journal and lists the configured instruments the journal lacks. Stopping stops intake,
/// answers what was taken, cuts and persists the operations not yet batched (their proofs resume at the next start),
/// then stops the prover.
/// </summary>
public sealed partial class ExchangeHostedService(NodeOptions options, AccelDispatcher accel, TimeProvider time, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private readonly ILogger logger = loggers.CreateLogger("Validium.Node");
    private BatchPipeline? pipeline;
    private BatchStore? store;
    private ExchangeService? exchange;
    private int stopped;

    /// <summary>The exchange once started; the trader API resolves it per request.</summary>
    public ExchangeService Exchange => exchange ?? throw new InvalidOperationException("the exchange has not started yet");

    public BatchPipeline? Pipeline => pipeline;

    /// <summary>The batcher's store once opened; the batch poster reads proven batches from it.</summary>
    public BatchStore? Store => store;

    public ExchangeService? Started => exchange;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.DataDir);
        store = await Task.Run(OpenOrCreateStore, cancellationToken).ConfigureAwait(false);
        pipeline = BatchPipeline.Start(store, accel, options.Batcher with { Time = time }, loggers.CreateLogger("Validium.Batcher"));
        exchange = await ExchangeService.StartAsync(options.ExchangeOptions(time), pipeline, loggers, cancellationToken).ConfigureAwait(false);
        var listed = exchange.View.Instruments;
        for (int i = 0; i < Math.Min(listed.Length, options.Instruments.Length); i++)
            if (listed[i].Spec != options.Instruments[i])
                throw new InvalidOperationException($"instrument {i} in the journal differs from Instruments:{i} in the configuration; the configuration may add instruments, not change listed ones");
        if (listed.Length > options.Instruments.Length)
            throw new InvalidOperationException($"the journal lists {listed.Length} instruments, the configuration {options.Instruments.Length}; listed instruments cannot be removed");
        for (int i = listed.Length; i < options.Instruments.Length; i++)
        {
            var ack = await exchange.ListInstrumentAsync(options.Instruments[i], cancellationToken).ConfigureAwait(false);
            if (!ack.Accepted) throw new InvalidOperationException($"listing Instruments:{i} was refused: {ack.Code}: {ack.Message}");
            LogListed(logger, i, ack.Sequence);
        }
    }

    private BatchStore OpenOrCreateStore()
    {
        var dir = options.BatchDir;
        if (File.Exists(Path.Combine(dir, BatchStore.ConfigFile)))
        {
            var store = BatchStore.Open(dir);
            if (StateSnapshot.ConfigJson(store.Config).ToJsonString() != StateSnapshot.ConfigJson(options.Circuit).ToJsonString())
                throw new InvalidOperationException($"{dir} holds keys and batches for another circuit than the configuration's Circuit and Instruments settings");
            return store;
        }
        if (options.DevSeed is not { } seed)
            throw new InvalidOperationException($"{dir} has no circuit keys: initialise it for the configured circuit, or set Circuit:DevSeed for development keys");
        LogDevSetup(logger, seed, dir);
        var pk = Setup.Run(new BatchCircuit(options.Circuit).Compile().R1cs, devSeed: seed);
        return BatchStore.Initialize(dir, options.Circuit, pk);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host stops its services on SIGTERM and again when disposed; the second time finds nothing to do.
        if (Interlocked.Exchange(ref stopped, 1) != 0) return;
        if (exchange is not null) await exchange.DisposeAsync().ConfigureAwait(false);
        if (pipeline is not null)
        {
            try
            {
                if (!pipeline.Completion.IsCompleted) await pipeline.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
            {
                // Nothing is lost: operations not cut are cut again from the journal at the next start.
                LogFlushFailed(logger, e);
            }
            await pipeline.DisposeAsync().ConfigureAwait(false);
        }
        LogStopped(logger);
    }

    public async ValueTask DisposeAsync()
    {
        if (exchange is not null) await exchange.DisposeAsync().ConfigureAwait(false);
        if (pipeline is not null) await pipeline.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node: listed instrument {Instrument} (command {Sequence})")]
    private static partial void LogListed(ILogger logger, int instrument, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node: making DEVELOPMENT circuit keys from seed {Seed} in {Directory}: anyone can forge proofs for them; never use them with real funds")]
    private static partial void LogDevSetup(ILogger logger, int seed, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node: the last operations could not be cut while stopping; the next start cuts them from the journal")]
    private static partial void LogFlushFailed(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node: exchange and batcher stopped")]
    private static partial void LogStopped(ILogger logger);
}
