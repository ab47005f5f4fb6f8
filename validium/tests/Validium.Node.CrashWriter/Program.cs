using System.Collections;
using System.Numerics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using Validium.Node;
using Validium.Node.Exchange;

namespace Validium.Node.CrashWriter;

/// <summary>
/// The node under load for the kill -9 test: starts the node (the same host as `vld node run`) on a data directory
/// and submits signed orders from several tasks and L1 deposits from one, printing a line for every accepted answer
/// once it has it ("order SEQ ACCOUNT CLIENTID", "deposit SEQ OPINDEX") until it is killed.
/// </summary>
public static class Program
{
    public const int Accounts = 8;
    public const long Usd = 1_000_000;

    /// <summary>A small circuit (two deposit slots) so proofs run under the load, and the test's restarts use the same settings.</summary>
    public static NodeOptions Options(string dataDir) => NodeConfiguration.Load(null, new Dictionary<string, string?>
    {
        ["DataDir"] = dataDir, ["Accel:Mode"] = "cpu", ["Circuit:AccountDepth"] = "4", ["Circuit:FillDepth"] = "16", ["Circuit:Deposits"] = "2",
        ["Circuit:Trades"] = "0", ["Circuit:Withdrawals"] = "0", ["Circuit:Forced"] = "0", ["Exchange:MaxAccounts"] = "15",
        ["Batcher:MaxBatchAgeMs"] = "3600000", ["Api:Urls"] = "http://127.0.0.1:0",
    }, new Hashtable());

    public static byte[] PrivateKey(int account) => SHA256.HashData(BitConverter.GetBytes(account));

    public static BabyJubjubPoint PublicKey(int account) => EdDsaPoseidon.PrivateToPublic(PrivateKey(account));

    public static BigInteger Address(int account) => (BigInteger.One << 159) + account;

    /// <summary>The oracle round the first start commits: BTC at 50,000 USD (price per lot = ticks × cash per tick-lot).</summary>
    public static OracleRound Round(InstrumentSpec btc) => new(1, 1_700_000_000, [(ulong)(50_000 * Usd / btc.TickSize * btc.CashPerTickLot)]);

    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 1)
        {
            await Console.Error.WriteLineAsync("usage: Validium.Node.CrashWriter DATADIR");
            return 2;
        }
        var options = Options(args[0]);
        var node = await NodeHost.StartAsync(options, logging: l => l.SetMinimumLevel(LogLevel.Warning));
        var exchange = node.Exchange;
        var output = new Lock();
        void Print(string line)
        {
            lock (output) Console.Out.Write(line + "\n");
        }

        ulong nextOp = (ulong)(exchange.View.LastL1Operation + 1);
        if (exchange.View.LastOracleRound == 0) Check(await exchange.OracleRoundAsync(Round(options.Instruments[0])));
        for (; nextOp < Accounts; nextOp++) Print($"deposit {Check(await Deposit(exchange, nextOp)).Sequence} {nextOp}");
        Print("ready");

        var depositing = Task.Run(async () =>
        {
            for (; ; nextOp++)
            {
                Print($"deposit {Check(await Deposit(exchange, nextOp)).Sequence} {nextOp}");
                // A deposit every 100 ms: a batch of two every 200 ms keeps the prover busy without a backlog the test waits out.
                await Task.Delay(100);
            }
        });
        var placing = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var nonces = new Dictionary<int, long>();
            for (; ; )
            {
                for (int account = 1 + w; account <= Accounts; account += 4)
                {
                    // A refused order (its fill slot taken) leaves the account's nonce where it was: the next try signs with the one after.
                    long nonce = nonces[account] = Math.Max(nonces.GetValueOrDefault(account), exchange.View.Accounts[account].Summary.Nonce) + 1;
                    // Buys below the 50,000 mark and no sells: nothing trades, so every accepted order rests and can be looked up after the crash.
                    var order = Command.Place(0, account, nonce, 0, Side.Buy, OrderType.Limit, 45_000 * Usd + nonce % 4000 * (Usd / 2), options.Instruments[0].LotSize, nonce);
                    var ack = await exchange.PlaceAsync(order, OrderSigning.Sign(order, PrivateKey(account)));
                    if (ack.Accepted) Print($"order {ack.Sequence} {account} {nonce}");
                }
            }
        })).ToArray();
        await Task.WhenAny([depositing, .. placing]);
        await Console.Error.WriteLineAsync("a load task stopped: " + (await Task.WhenAny([depositing, .. placing])).Exception);
        return 1;
    }

    private static Task<Ack> Deposit(ExchangeService exchange, ulong opIndex)
    {
        int who = 1 + (int)(opIndex % Accounts);
        return exchange.DepositAsync(new L1Deposit(opIndex, PublicKey(who), 1_000 * Usd, Address(who)));
    }

    private static Ack Check(Ack ack) => ack.Accepted ? ack : throw new InvalidOperationException($"{ack.Code}: {ack.Message}");
}
