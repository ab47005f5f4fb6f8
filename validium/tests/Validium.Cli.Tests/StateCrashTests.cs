using System.Diagnostics;
using Validium.Accel;
using Validium.State;

namespace Validium.Cli.Tests;

/// <summary>A real kill -9 in the middle of committing batches: what reopens is exactly some committed batch.</summary>
public class StateCrashTests
{
    [Fact]
    public void KilledWhileCommittingLeavesTheLastCommittedBatchIntact()
    {
        var dir = Directory.CreateTempSubdirectory("vld-state-crash-");
        try
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "vld.dll"), "state", "bench", "--leaves", "3000", "--depth", "24", "--batches", "1000", "--no-sync", "--dir", dir.FullName })
                psi.ArgumentList.Add(a);
            ulong lastPrinted = 0;
            using (var p = Process.Start(psi)!)
            {
                _ = p.StandardError.ReadToEndAsync();
                var deadline = Stopwatch.StartNew();
                while (lastPrinted < 3 && deadline.Elapsed < TimeSpan.FromMinutes(2) && p.StandardOutput.ReadLine() is { } line)
                    if (line.StartsWith("batch ")) lastPrinted = ulong.Parse(line["batch ".Length..line.IndexOf(':')]);
                p.Kill(entireProcessTree: true);
                p.WaitForExit();
            }
            Assert.True(lastPrinted >= 3, "vld state bench did not commit three batches in time");

            using var store = StateStore.Open(dir.FullName, new AccelDispatcher(new BackendRegistry(), new AccelOptions { Mode = AccelMode.Cpu }));
            // The batch after the last printed one may have committed just before the kill, but nothing further.
            ulong last = store.LastBatch ?? 0;
            Assert.InRange(last, lastPrinted, lastPrinted + 1);
            var tree = store.Tree(TreeId.Accounts, 24);
            Assert.Equal(tree.RootAt(last), tree.Root);

            // The stored leaves rebuild, from nothing, to the stored root: no half-written batch is left inside.
            var leaves = tree.NonEmptyLeaves();
            // Random indices in 2^24 slots collide now and then, so a few leaves fewer than written.
            Assert.InRange((ulong)leaves.Count, last * 2900, last * 3000);
            var rebuiltDir = Directory.CreateTempSubdirectory("vld-state-rebuilt-");
            try
            {
                using var rebuilt = StateStore.Open(rebuiltDir.FullName, store.Accel, new StateStoreOptions { SyncWrites = false });
                Assert.Equal(tree.Root, rebuilt.Tree(TreeId.Accounts, 24).Update(1, leaves));
            }
            finally
            {
                rebuiltDir.Delete(true);
            }
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
