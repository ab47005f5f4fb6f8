using Validium.Accel;
using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.L1;
using Validium.State;

namespace Validium.Settlement;

/// <summary>A batch replayed from its data does not end at the root L1 committed for it.</summary>
public sealed class RootMismatchException(string message) : Exception(message);

/// <summary>One recovered batch: its number and the root replay reached (equal to L1's newRoot, or recovery stops).</summary>
public sealed record RecoveredBatch(ulong Number, Fr Root, int Deposits, int Trades, int Withdrawals, int Forced);

/// <summary>
/// Rebuilds the state from L1 and the committee: for each batch L1 accepted, in order, its data from L1 (a batch posted
/// with its data) or from any member that serves it under the committed commitment, decoded and replayed by the same <see cref="BatchBuilder"/> the
/// sequencer builds with, on a fresh state; every public input the contract checked is recomputed and compared
/// (old and new root, L1 operations chain heads, oracle commitment, withdrawals commitment). The result is a state
/// database plus a <see cref="StateSnapshot"/> the node starts from.
/// </summary>
public static class StateRecovery
{
    public const string StateDirectory = "state";
    public const string SnapshotFile = "snapshot.json";

    public static async Task<(StateSnapshot Snapshot, IReadOnlyList<RecoveredBatch> Batches)> RecoverAsync(L1History history, BatchDataSource source, CircuitConfig config,
        string outDir, AccelDispatcher accel, Func<string, Task>? log = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(config);
        log ??= _ => Task.CompletedTask;
        var statePath = Path.Combine(outDir, StateDirectory);
        if (Directory.Exists(statePath) && Directory.EnumerateFileSystemEntries(statePath).Any())
            throw new IOException($"{statePath} is not empty: recovery writes a fresh state");
        Directory.CreateDirectory(outDir);

        var store = StateStore.Open(statePath, accel);
        try
        {
            var builder = new BatchBuilder(config, store);
            var recovered = new List<RecoveredBatch>();
            ulong opsProcessed = 0;
            var opsHead = Fr.Zero;
            ulong round = 0;
            foreach (var b in history.Batches)
            {
                ct.ThrowIfCancellationRequested();
                string what = $"batch {b.Number}";
                if (b.OldRoot != builder.StateRoot) throw new RootMismatchException($"{what}: L1 says it started from root {b.OldRoot}, the recovered state is at {builder.StateRoot}");
                if (!history.OracleRounds.TryGetValue(b.OracleRound, out var oracle))
                    throw new InvalidDataException($"{what} used oracle round {b.OracleRound}, which has no PricesUpdated event in the scanned blocks");
                if (b.OpsProcessed < opsProcessed || b.OpsProcessed > (ulong)history.Operations.Count)
                    throw new InvalidDataException($"{what} consumed L1 operations up to {b.OpsProcessed}, but {history.Operations.Count} were queued");
                // The builder consumes a run of deposits, then a run of forced requests (CIRCUIT.md); L1 never accepts another cut.
                var queued = new List<QueuedDeposit>();
                var forced = new List<ForcedOp>();
                for (ulong i = opsProcessed; i < b.OpsProcessed; i++)
                {
                    var op = history.Operations[(int)i];
                    if (op.Kind == BatchEncoding.L1Deposit)
                    {
                        if (forced.Count > 0) throw new InvalidDataException($"{what} consumed deposit {i} after a forced request; a batch consumes deposits, then forced requests");
                        queued.Add(op.ToDeposit());
                    }
                    else forced.Add(op.ToForced());
                }

                var data = await source.FetchAsync(b, ct);
                PendingBatch pending;
                try
                {
                    pending = builder.Replay(PoseidonSponge.FromBytes(data), oracle, opsHead, queued, forced);
                }
                catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException)
                {
                    throw new InvalidDataException($"{what}: its data (which has the committed commitment) does not replay: {e.Message}", e);
                }
                using (pending)
                {
                    var pi = pending.PublicInputs;
                    if (pending.BatchNumber != b.Number) throw new InvalidDataException($"{what}: its data says it is batch {pending.BatchNumber}");
                    if (pi[1] != b.NewRoot)
                        throw new RootMismatchException($"{what}: replaying its data gives root {pi[1]}, but L1 committed {b.NewRoot}");
                    var expectedHead = b.OpsProcessed == 0 ? Fr.Zero : history.Operations[(int)b.OpsProcessed - 1].Head;
                    if (pi[4] != expectedHead) throw new InvalidDataException($"{what}: its L1 operations chain to {pi[4]}, L1's head after operation {b.OpsProcessed} is {expectedHead}");
                    if (pi[6] != b.WithdrawalsCommitment) throw new InvalidDataException($"{what}: its withdrawals commit to {pi[6]}, L1 credited {b.WithdrawalsCommitment}");
                    pending.Commit();
                }
                var decoded = BatchData.Decode(config, PoseidonSponge.FromBytes(data));
                recovered.Add(new RecoveredBatch(b.Number, builder.StateRoot, decoded.Deposits.Count, decoded.Trades.Count, decoded.Withdrawals.Count, decoded.Forced.Count));
                await log($"batch {b.Number}: {decoded.Deposits.Count} deposits, {decoded.Trades.Count} trades, {decoded.Withdrawals.Count} withdrawals, {decoded.Forced.Count} forced requests; root {builder.StateRoot} = L1's{(b.DataOnChain ? "; data from L1 calldata" : "")}");
                opsProcessed = b.OpsProcessed;
                opsHead = pending.NewOpsHead;
                round = b.OracleRound;
            }

            var snapshot = new StateSnapshot(config, builder.Mirror, (ulong)history.Batches.Count, builder.StateRoot, opsProcessed, opsHead, round);
            var file = Path.Combine(outDir, SnapshotFile);
            // Whole or not at all: a half-written snapshot must not look like a state to start from.
            var tmp = file + ".tmp";
            await File.WriteAllTextAsync(tmp, snapshot.ToJson(), ct);
            File.Move(tmp, file, overwrite: true);
            return (snapshot, recovered);
        }
        catch
        {
            // A half-recovered state is not a state to start from, and a rerun needs the directory empty.
            store.Dispose();
            Directory.Delete(statePath, recursive: true);
            throw;
        }
        finally
        {
            store.Dispose();
        }
    }
}
