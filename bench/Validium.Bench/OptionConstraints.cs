using Validium.Circuits;
using Validium.Exchange;

namespace Validium.Bench;

/// <summary>
/// What options cost in the batch circuit (CIRCUIT.md, "Options"): the demo table (BTC and ETH perpetuals) against the
/// same table with a BTC call and a BTC put added (positions depth 2), per operation type, the expiry slot, and the
/// liquidation section (liquidator 1, insurance fund 2) once per batch and per slot.
/// </summary>
internal static class OptionConstraints
{
    private const long Usd = 1_000_000;

    public static void Print(CircuitConfig perpetuals)
    {
        var call = new InstrumentParams(Usd / 2, 100_000, 500, -100, 500, 150_000, 100_000, InstrumentKind.Call, 100_000, 1_800_000_000_000);
        var liquidating = perpetuals with { LiquidatorAccount = 1, InsuranceAccount = 2, LiquidationPenaltyPpm = 200_000 };
        var withOptions = liquidating with { PositionsDepth = 2, Instruments = [.. perpetuals.Instruments, call, call with { Kind = InstrumentKind.Put }] };
        var widened = liquidating with { PositionsDepth = 2 };
        int Count(CircuitConfig c, BatchShape shape) => new BatchCircuit(c with { Shape = shape }).Compile().R1cs.Constraints.Count;
        var empty = new BatchShape(0, 0, 0);
        int fixedPerps = Count(widened, empty), fixedOptions = Count(withOptions, empty);
        Console.WriteLine($"\noptions: {perpetuals.InstrumentCount} perpetuals vs the same + a call and a put (both at positions depth 2)");
        Console.WriteLine("| part | 2 perpetuals | 2 perpetuals + 2 options |\n|---|---:|---:|");
        Console.WriteLine($"| fixed (oracle round with 2 spot slots, option figures per lot once per batch, ...) | {fixedPerps:N0} | {fixedOptions:N0} |");
        foreach (var (name, shape) in new[] { ("deposit slot", new BatchShape(1, 0, 0)), ("trade slot", new BatchShape(0, 1, 0)), ("withdrawal slot", new BatchShape(0, 0, 1)),
            ("forced-request slot", new BatchShape(0, 0, 0, Forced: 1)) })
            Console.WriteLine($"| {name} | {Count(widened, shape) - fixedPerps:N0} | {Count(withOptions, shape) - fixedOptions:N0} |");
        Console.WriteLine($"| expiry slot | - | {Count(withOptions, new BatchShape(0, 0, 0, Expiries: 1)) - fixedOptions:N0} |");
        int Liquidations(CircuitConfig c, int n) => Count(c, new BatchShape(0, 0, 0, Liquidations: n));
        var (onePerps, twoPerps, oneOptions, twoOptions) = (Liquidations(widened, 1), Liquidations(widened, 2), Liquidations(withOptions, 1), Liquidations(withOptions, 2));
        Console.WriteLine($"| liquidation slot | {twoPerps - onePerps:N0} | {twoOptions - oneOptions:N0} |");
        Console.WriteLine($"| liquidation section, once per batch | {onePerps - (twoPerps - onePerps) - fixedPerps:N0} | {oneOptions - (twoOptions - oneOptions) - fixedOptions:N0} |");
    }
}
