using Validium.Exchange.Simulation;

namespace Validium.Exchange.Tests;

/// <summary>The load generator: exchange-core's published mix, a book held near its target, a reproducible stream.</summary>
public class OrderFlowTests
{
    private const int Accounts = 100;

    internal static (Engine Engine, OrderFlow Flow, int Filled) Filled(ulong seed, int oracleEvery = 0)
    {
        var engine = OrderFlow.CreateMarket(Accounts, Accounts * OrderFlow.OrdersPerAccount, new EventLog());
        var flow = new OrderFlow(engine, Accounts, seed, oracleEvery);
        int filled = 0;
        while (flow.Filling)
        {
            var c = flow.Next(out var kind);
            Assert.Equal(FlowKind.Fill, kind);
            Assert.True(engine.Execute(c).Accepted);
            engine.Events.Clear();
            filled++;
        }
        return (engine, flow, filled);
    }

    [Fact]
    public void Realised_mix_is_exchange_cores_and_the_book_stays_near_its_target()
    {
        var (engine, flow, filled) = Filled(seed: 5, oracleEvery: 20_000);
        int target = Accounts * OrderFlow.TargetPerAccount;
        Assert.Equal(target, engine.OpenOrders);
        Assert.Equal(target, filled);
        var counts = new int[6];
        int n = 200_000, minBook = int.MaxValue, maxBook = 0, rejected = 0;
        for (int i = 0; i < n; i++)
        {
            var c = flow.Next(out var kind);
            counts[(int)kind]++;
            if (!engine.Execute(c).Accepted) rejected++;
            engine.Events.Clear();
            minBook = Math.Min(minBook, engine.OpenOrders);
            maxBook = Math.Max(maxBook, engine.OpenOrders);
        }
        Assert.Equal(0, counts[(int)FlowKind.Fill]);
        Assert.Equal(n / 20_000, counts[(int)FlowKind.Oracle]);
        double orders = n - counts[(int)FlowKind.Oracle];
        Assert.InRange(counts[(int)FlowKind.Amend] / orders, 0.815, 0.825);
        Assert.InRange(counts[(int)FlowKind.Gtc] / orders, 0.085, 0.095);
        Assert.InRange(counts[(int)FlowKind.Ioc] / orders, 0.027, 0.033);
        Assert.InRange(counts[(int)FlowKind.Cancel] / orders, 0.055, 0.065);
        Assert.Equal(0, flow.Substituted);
        Assert.Equal(0, rejected);
        Assert.InRange(minBook, target * 3 / 4, target);
        Assert.InRange(maxBook, target, target * 5 / 4);
    }

    [Fact]
    public void Same_seed_gives_the_same_stream()
    {
        var (e1, f1, _) = Filled(seed: 9, oracleEvery: 1_000);
        var (e2, f2, _) = Filled(seed: 9, oracleEvery: 1_000);
        for (int i = 0; i < 20_000; i++)
        {
            var a = f1.Next(out var ka);
            var b = f2.Next(out var kb);
            Assert.Equal((ka, a), (kb, b));
            e1.Execute(a);
            e2.Execute(b);
        }
        Assert.Equal(e1.StateHash(), e2.StateHash());
        var (_, f3, _) = Filled(seed: 10, oracleEvery: 1_000);
        var other = Enumerable.Range(0, 50).Select(_ => f3.Next(out var _)).ToArray();
        Assert.NotEqual(other, Enumerable.Range(0, 50).Select(_ => f1.Next(out var _)).ToArray());
    }
}

/// <summary>
/// Runs alone (a collection with parallelisation off): a garbage collection triggered by another test's thread
/// retires this thread's allocation buffer, and the runtime then counts the buffer's unused tail as allocated.
/// </summary>
[CollectionDefinition(nameof(MatchingAllocationTests), DisableParallelization = true)]
[Collection(nameof(MatchingAllocationTests))]
public class MatchingAllocationTests
{
    [Fact]
    public void Matching_allocates_nothing_once_warm()
    {
        var (source, flow, _) = OrderFlowTests.Filled(seed: 3);
        var (engine, _, _) = OrderFlowTests.Filled(seed: 3);
        var commands = new Command[60_000];
        for (int i = 0; i < commands.Length; i++)
        {
            commands[i] = flow.Next(out _);
            source.Execute(commands[i]);
            source.Events.Clear();
        }
        // The first part warms up (JIT, lazily built structures); the rest must not allocate at all.
        for (int i = 0; i < 20_000; i++)
        {
            engine.Execute(commands[i]);
            engine.Events.Clear();
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 20_000; i < commands.Length; i++)
        {
            engine.Execute(commands[i]);
            engine.Events.Clear();
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(source.StateHash(), engine.StateHash());
    }
}
