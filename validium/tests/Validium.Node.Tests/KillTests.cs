using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Validium.Batcher;
using Validium.Node.Exchange;
using Validium.Node.Hosting;
using Writer = Validium.Node.CrashWriter.Program;

namespace Validium.Node.Tests;

/// <summary>
/// kill -9 of the node under load (orders and deposits, batches being cut and proven), then a restart on the same
/// directory: every acknowledged order and deposit is there, the state equals a clean replay of the journal, and
/// batching continues without losing or repeating an operation.
/// </summary>
public sealed class KillTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("validium-node-kill-").FullName;
    private readonly string replayDir = Directory.CreateTempSubdirectory("validium-node-kill-replay-").FullName;

    private static Task<NodeHost> StartAsync(string dataDir) => NodeHost.StartAsync(Writer.Options(dataDir), logging: l => l.SetMinimumLevel(LogLevel.Warning));

    [Fact]
    public async Task AfterKill9UnderLoadEveryAcknowledgedCommandIsThereAndTheStateEqualsACleanReplay()
    {
        var (orders, deposits) = await RunAndKill(minOrders: 150, minDeposits: 12);

        byte[] hash;
        List<BatchRecord> batches, beforeKill;
        await using (var node = await StartAsync(dir))
        {
            var view = node.Exchange.View;
            Assert.True(view.Sequence >= Math.Max(orders.Max(o => o.Sequence), deposits.Max(d => d.Sequence)));
            foreach (var (_, account, clientId) in orders)
                Assert.Contains(view.Accounts[account].OpenOrders, o => o.ClientId == clientId);
            Assert.True(view.LastL1Operation >= deposits.Max(d => d.Value));

            // Every deposit the journal holds is batched exactly once, the batches cut before the kill and after it chained.
            var pipeline = Pipeline(node);
            await node.Exchange.WaitFedAsync(node.Exchange.LastApplied);
            var store = BatchStore.Open(Path.Combine(dir, "batches"));
            beforeKill = [.. store.List().Select(store.Read)];
            await pipeline.FlushAsync();
            batches = [.. store.List().Select(store.Read)];
            Assert.Equal(view.LastL1Operation + 1, batches.Sum(b => b.Deposits.Length));
            for (int i = 1; i < batches.Count; i++) Assert.Equal(batches[i - 1].PublicInputs[1], batches[i].PublicInputs[0]);

            // Batches continue: the next operation goes into the next batch number.
            var next = await node.Exchange.DepositAsync(new L1Deposit((ulong)view.LastL1Operation + 1, Writer.PublicKey(1), Writer.Usd, Writer.Address(1)));
            Assert.True(next.Accepted, next.Message);
            await node.Exchange.WaitFedAsync(next.Sequence);
            await pipeline.FlushAsync();
            var last = store.Read(store.List()[^1]);
            Assert.Equal(batches[^1].Number + 1, last.Number);
            Assert.Equal(batches[^1].PublicInputs[1], last.PublicInputs[0]);
            batches.Add(last);
            hash = node.Exchange.StateHash();
        }

        // A clean replay of the same journal on a fresh data directory: the same engine state, the same batches as were
        // cut before the kill, and the same final state root (the flushes after the restart cut elsewhere than a replay's).
        var journal = Directory.CreateDirectory(Path.Combine(replayDir, "sequencer", "journal")).FullName;
        foreach (var f in Directory.GetFiles(Path.Combine(dir, "sequencer", "journal"))) File.Copy(f, Path.Combine(journal, Path.GetFileName(f)));
        await using (var clean = await StartAsync(replayDir))
        {
            Assert.Equal(hash, clean.Exchange.StateHash());
            await clean.Exchange.WaitFedAsync(clean.Exchange.LastApplied);
            await Pipeline(clean).FlushAsync();
            var store = BatchStore.Open(Path.Combine(replayDir, "batches"));
            var replayed = store.List().Select(store.Read).ToList();
            Assert.NotEmpty(beforeKill);
            for (int i = 0; i < beforeKill.Count; i++) Assert.Equal(beforeKill[i].PublicInputs.ToArray(), replayed[i].PublicInputs.ToArray());
            Assert.Equal(batches[^1].PublicInputs[1], replayed[^1].PublicInputs[1]);
            Assert.Equal(batches.Sum(b => b.Deposits.Length), replayed.Sum(b => b.Deposits.Length));
        }
    }

    private static BatchPipeline Pipeline(NodeHost node) => ((ExchangeHostedService)node.Services.GetService(typeof(ExchangeHostedService))!).Pipeline!;

    private sealed record Acked(long Sequence, int Account, long Value);

    private async Task<(List<Acked> Orders, List<(long Sequence, long Value)> Deposits)> RunAndKill(int minOrders, int minDeposits)
    {
        var helper = Path.Combine(AppContext.BaseDirectory, "Validium.Node.CrashWriter.dll");
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(helper);
        psi.ArgumentList.Add(dir);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.BaseStream;
        var text = new StringBuilder();
        var buffer = new byte[1 << 16];
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            while (Count(text, "order ") < minOrders || Count(text, "deposit ") < minDeposits)
            {
                int n = await stdout.ReadAsync(buffer, timeout.Token);
                if (n == 0) break;
                text.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }
        }
        finally
        {
            process.Kill(); // SIGKILL on Unix: no handlers, no flushing, no disposal
        }
        await process.WaitForExitAsync(timeout.Token);
        int m;
        while ((m = await stdout.ReadAsync(buffer, timeout.Token)) > 0) text.Append(Encoding.ASCII.GetString(buffer, 0, m));
        Assert.True(Count(text, "order ") >= minOrders, $"the node stopped early: {await stderr}");
        Assert.Equal(137, process.ExitCode);

        // Only whole lines count: the last one may have been cut by the kill.
        var all = text.ToString();
        var orders = new List<Acked>();
        var deposits = new List<(long, long)>();
        foreach (var line in all[..(all.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var p = line.Split(' ');
            switch (p[0])
            {
                case "order":
                    orders.Add(new Acked(long.Parse(p[1]), int.Parse(p[2]), long.Parse(p[3])));
                    break;
                case "deposit":
                    deposits.Add((long.Parse(p[1]), long.Parse(p[2])));
                    break;
                case "ready":
                    break;
                default:
                    throw new InvalidDataException($"unexpected line from the node: {line}");
            }
        }
        return (orders, deposits);
    }

    private static int Count(StringBuilder text, string what)
    {
        var s = text.ToString();
        int count = 0;
        for (int i = s.IndexOf(what, StringComparison.Ordinal); i >= 0; i = s.IndexOf(what, i + what.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    public void Dispose()
    {
        foreach (var d in new[] { dir, replayDir })
        {
            try
            {
                Directory.Delete(d, recursive: true);
            }
            catch (IOException)
            {
                // A temp directory left behind is not a test failure.
            }
        }
    }
}
