using Validium.Circuits;
using Validium.Exchange;

namespace Validium.Bench;

/// <summary>
/// What carrying open interest costs (CIRCUIT.md, "Open interest"): each slot type over a circuit with neither funding
/// nor expiry slots (which keeps its constraints and keys) against the same slot over a circuit with one funding slot
/// (perpetuals) or one expiry slot (the table with a call and a put), and the funding and expiry sections themselves.
/// </summary>
internal static class OpenInterestConstraints
{
    private const long Usd = 1_000_000;

    public static void Print(CircuitConfig perpetuals)
    {
        var plain = perpetuals with
        {
            LiquidatorAccount = 1, InsuranceAccount = 2, LiquidationPenaltyPpm = 200_000, FundingPeriodSeconds = 3600,
            FundingCapsPpm = [.. perpetuals.Instruments.Select(_ => 750)], PremiumCapsPpm = [.. perpetuals.Instruments.Select(_ => 5_000)],
        };
        var call = new InstrumentParams(Usd / 2, 100_000, 500, -100, 500, 150_000, 100_000, InstrumentKind.Call, 100_000, 1_800_000_000_000);
        var options = perpetuals with { PositionsDepth = 2, Instruments = [.. perpetuals.Instruments, call, call with { Kind = InstrumentKind.Put }] };
        int Count(CircuitConfig c, BatchShape shape) => new BatchCircuit(c with { Shape = shape }).Compile().R1cs.Constraints.Count;
        var empty = new BatchShape(0, 0, 0);
        var funding1 = empty with { Funding = 1 };
        var expiry1 = empty with { Expiries = 1 };
        int plainFixed = Count(plain, empty), fundedFixed = Count(plain, funding1);
        int optionsFixed = Count(options, empty), expiringFixed = Count(options, expiry1);

        Console.WriteLine($"\nopen interest: each slot over an empty shape, over one funding slot ({perpetuals.InstrumentCount} perpetuals) and over one expiry slot (+ a call and a put, positions depth 2)");
        Console.WriteLine("| slot | perpetuals, no funding slot | perpetuals, with funding slots | options, no expiry slot | options, with expiry slots |\n|---|---:|---:|---:|---:|");
        foreach (var (name, slot) in new[] { ("deposit slot", new BatchShape(1, 0, 0)), ("trade slot", new BatchShape(0, 1, 0)), ("withdrawal slot", new BatchShape(0, 0, 1)),
            ("forced-request slot", empty with { Forced = 1 }), ("liquidation slot (perpetuals only)", empty with { Liquidations = 1 }) })
        {
            var perps = $"{Count(plain, slot) - plainFixed:N0} | {Count(plain, slot with { Funding = 1 }) - fundedFixed:N0}";
            var opts = slot.Liquidations > 0 ? "- | -" : $"{Count(options, slot) - optionsFixed:N0} | {Count(options, slot with { Expiries = 1 }) - expiringFixed:N0}";
            Console.WriteLine($"| {name} | {perps} | {opts} |");
        }
        int settlement = Count(plain, empty with { Funding = 2 }) - fundedFixed;
        int expiry = Count(options, empty with { Expiries = 2 }) - expiringFixed;
        Console.WriteLine($"| funding settlement slot | - | {settlement:N0} | - | - |");
        Console.WriteLine($"| funding section, once per batch (ticks, checks over the slots, the reserved leaf's words) | - | {fundedFixed - plainFixed - settlement:N0} | - | - |");
        Console.WriteLine($"| expiry slot | - | - | - | {expiry:N0} |");
        Console.WriteLine($"| expiry section, once per batch (the check that earlier expiries are settled, the reserved leaf's words) | - | - | - | {expiringFixed - optionsFixed - expiry:N0} |");
    }
}
