using System.Diagnostics;
using System.Security.Cryptography;
using Validium.Accel;
using Validium.Batcher;
using Validium.Circuits;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using Validium.Node.Exchange;
using Validium.Proving.Groth16;

namespace Validium.Bench;

/// <summary>
/// Signed orders through the node's ExchangeService: the up-front signature check on the caller's thread, the
/// journal's group commit (fsync), apply on the exchange thread (the engine checks the signature again), the read
/// model's update, and the answer. --submitters tasks each keep one order in flight for their own accounts; orders are
/// signed before timing (signing is the trader's work) and never cross, so the batcher behind the service stays idle.
/// Reports answered orders/s and the submit-to-answer latency percentiles; checks every order was accepted and rests.
/// Usage: node-exchange [--orders N] [--accounts A] [--submitters S]
/// </summary>
internal static class NodeExchangeBench
{
    private const long Usd = 1_000_000;

    public static async Task<int> Run(string[] args)
    {
        int orders = Arg(args, "--orders", 20_000), accounts = Arg(args, "--accounts", 64), submitters = Arg(args, "--submitters", 64);
        if (accounts is < 1 or > 254) throw new ArgumentException("--accounts 1..254 (a depth-8 account tree)");
        var spec = DemoExchange.BtcPerp;
        var config = new CircuitConfig
        {
            AccountDepth = 8, PositionsDepth = 1, FillDepth = 24, FeeAccount = 0, Shape = new BatchShape(1, 0, 0), Instruments = [InstrumentParams.FromSpec(spec)],
        };
        var dir = Directory.CreateTempSubdirectory("vld-node-exchange-").FullName;
        try
        {
            var store = BatchStore.Initialize(Path.Combine(dir, "batches"), config, Setup.Run(new BatchCircuit(config).Compile().R1cs, devSeed: 1));
            await using var pipeline = BatchPipeline.Start(store, new AccelDispatcher(new BackendRegistry(), new AccelOptions { Mode = AccelMode.Cpu }),
                new BatcherOptions { MaxBatchAge = TimeSpan.FromHours(1) });
            await using var exchange = await ExchangeService.StartAsync(new ExchangeServiceOptions
            {
                Directory = Path.Combine(dir, "sequencer"), Engine = new EngineConfig { MaxAccounts = 255, OrderCapacity = orders + 1024 },
            }, pipeline);
            Check(await exchange.ListInstrumentAsync(spec));
            Check(await exchange.OracleRoundAsync(new OracleRound(1, 1_700_000_000, [(ulong)(50_000 * Usd / spec.TickSize * spec.CashPerTickLot)])));
            var keys = Enumerable.Range(1, accounts).Select(a => SHA256.HashData(BitConverter.GetBytes(a))).ToArray();
            for (int a = 0; a < accounts; a++)
                Check(await exchange.DepositAsync(new L1Deposit((ulong)a, EdDsaPoseidon.PrivateToPublic(keys[a]), 1_000_000_000 * Usd, a + 1)));

            // Buys below the mark, one lot each, prices spread so the book has many levels.
            var signed = new (Command Order, EdDsaSignature Signature)[orders];
            Parallel.For(0, orders, i =>
            {
                int account = 1 + i % accounts;
                long nonce = 1 + i / accounts;
                var c = Command.Place(0, account, nonce, 0, Side.Buy, OrderType.Limit, 45_000 * Usd + i % 8000 * (Usd / 2), spec.LotSize, nonce);
                signed[i] = (c, OrderSigning.Sign(c, keys[account - 1]));
            });

            var latencies = new long[orders];
            int refused = 0;
            // Each account's orders go in nonce order, so one submitter owns each account's sequence of orders.
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Math.Min(submitters, accounts)).Select(s => Task.Run(async () =>
            {
                for (int i = s; i < orders; i += Math.Min(submitters, accounts))
                {
                    long start = Stopwatch.GetTimestamp();
                    var ack = await exchange.PlaceAsync(signed[i].Order, signed[i].Signature);
                    latencies[i] = Stopwatch.GetTimestamp() - start;
                    if (!ack.Accepted) Interlocked.Increment(ref refused);
                }
            })));
            var elapsed = sw.Elapsed;
            int resting = exchange.View.Accounts.Values.Sum(a => a.OpenOrders.Length);
            Array.Sort(latencies);
            double Us(double q) => latencies[(int)Math.Min(orders - 1, q * orders)] * 1e6 / Stopwatch.Frequency;
            Console.WriteLine($"{orders:N0} signed orders, {accounts} accounts, {Math.Min(submitters, accounts)} submitters, one order in flight each");
            Console.WriteLine($"answered orders/s    {orders / elapsed.TotalSeconds,10:N0}");
            Console.WriteLine($"latency p50          {Us(0.5),10:N0} us");
            Console.WriteLine($"latency p99          {Us(0.99),10:N0} us");
            Console.WriteLine($"latency p99.9        {Us(0.999),10:N0} us");
            Console.WriteLine($"refused {refused} (order-fill slot collisions), resting {resting:N0}");
            if (resting + refused != orders) throw new InvalidOperationException($"{orders} orders sent, {resting} rest and {refused} were refused");
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Check(Ack ack)
    {
        if (!ack.Accepted) throw new InvalidOperationException($"{ack.Code}: {ack.Message}");
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.TryParse(args[i + 1], out int n) && n > 0 ? n : throw new ArgumentException($"{name} needs a positive integer") : fallback;
    }
}
