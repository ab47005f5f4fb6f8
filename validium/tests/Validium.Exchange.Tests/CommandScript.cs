using static Validium.Exchange.Tests.Fixture;

namespace Validium.Exchange.Tests;

/// <summary>Turns rows of random integers into a command stream over the <see cref="Fixture"/> markets (for property tests).</summary>
internal static class CommandScript
{
    public const int Accounts = 6;

    public static Command Decode(int[] r, Engine engine, ref long now, ref long nonce)
    {
        int acc = r[1] % Accounts;
        int op = r[0] % 20;
        if (op == 19) now += r[2] % 5_000;
        nonce++;
        long cid = 1 + r[3] % 12; // few client ids, so cancels and amends hit live orders
        switch (op)
        {
            case 0:
                return Command.Deposit(now, acc, CachedKey(acc), (1 + r[2] % 5_000) * Usd);
            case <= 7:
            {
                int inst = r[2] % 4;
                var spec = engine.Instrument(inst);
                long mark = Math.Max(engine.MarkPrice(inst), spec.TickSize * 10);
                long price = Math.Max(spec.TickSize, mark + (r[4] % 41 - 20) * spec.TickSize * (inst is 1 or 2 ? 10 : 1));
                var type = (r[5] % 12) switch { < 6 => OrderType.Limit, 6 => OrderType.Market, 7 or 8 => OrderType.Ioc, 9 => OrderType.Fok, _ => OrderType.PostOnly };
                bool reduceOnly = type is OrderType.Ioc or OrderType.Market && r[6] % 4 == 0;
                long expires = r[6] % 7 == 0 ? now + r[6] % 9_000 : 0;
                return Command.Place(now, acc, nonce, inst, (Side)(r[4] & 1), type, price, spec.LotSize * (1 + r[5] % 400), cid, expires, reduceOnly,
                    (SelfTradePrevention)(r[6] % 3));
            }
            case 8 or 9:
                return Command.Cancel(now, acc, nonce, cid);
            case 10 or 11 or 12:
            {
                var spec = engine.Instrument(r[2] % 4);
                long mark = Math.Max(engine.MarkPrice(r[2] % 4), spec.TickSize * 10);
                long price = mark + (r[4] % 21 - 10) * spec.TickSize, quantity = spec.LotSize * (1 + r[5] % 20);
                // Mostly amends of the order as it rests; now and then one naming another instrument or side, which the engine refuses.
                return engine.TryGetOrder(acc, cid, out var order) && r[6] % 8 != 0
                    ? order.Amend(now, nonce, price, quantity)
                    : Command.Amend(now, acc, nonce, cid, price, quantity, r[2] % 4, (Side)(r[4] & 1));
            }
            case 13:
                return Command.CancelAll(now, acc, nonce, r[2] % 2 == 0 ? -1 : r[2] % 4);
            case 14:
                return Command.Withdraw(now, acc, (1 + r[2] % 20_000) * Usd);
            case 16 when r[6] % 2 == 0:
            {
                // A whole round: both indices, then none, one or both options (refused once they have expired).
                long Moved(int inst, int k) => Math.Max(Usd, engine.IndexPrice(inst) + engine.IndexPrice(inst) / 1000 * (k % 161 - 80));
                OptionMark[] options = [.. new[] { Call, Put }.Take(r[5] % 3).Select(i => new OptionMark(i, (500 + (r[4] + i * 997) % 4_000) * Usd,
                    (i == Call ? 1 : -1) * (r[5] % 1_000_001), r[3] % 60_000))];
                return Command.OracleRound(now, [new(0, Moved(Perp, r[4])), new(1, Moved(EthPerp, r[2]))], options);
            }
            case 15 or 16:
            {
                int u = r[2] % 2;
                long index = engine.IndexPrice(u == 0 ? Perp : EthPerp);
                return Command.OracleIndex(now, u, Math.Max(Usd, index + index / 1000 * (r[4] % 161 - 80)));
            }
            case 17:
                return Command.OracleOption(now, 1 + r[2] % 2, (500 + r[4] % 4_000) * Usd, (r[2] % 2 == 0 ? 1 : -1) * (r[5] % 1_000_001),
                    r[6] % 60_000);
            default:
                return Command.Funding(now, r[2] % 2 == 0 ? Perp : EthPerp);
        }
    }
}
