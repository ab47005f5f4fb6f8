using Validium.Circuits;

namespace Validium.DevNet.Tests;

public sealed class DevNetOptionsTests
{
    [Fact]
    public void Every_problem_is_named_at_once()
    {
        var e = Assert.Throws<ArgumentException>(() => new DevNetOptions
        {
            Directory = "d", Members = 3, Threshold = 4, AnvilPort = 70_000, OracleIntervalSeconds = -1, TimelockDelaySeconds = 10, ForcedDelaySeconds = 10,
        }.Validate());
        Assert.Contains("threshold must be 1..3", e.Message);
        Assert.Contains("anvil port", e.Message);
        Assert.Contains("oracle interval", e.Message);
        Assert.Contains("timelock delay must exceed", e.Message);
    }

    [Fact]
    public void A_circuit_must_match_the_listed_instruments()
    {
        var circuit = DevNetOptions.DefaultCircuit(DevNetOptions.DefaultInstruments);
        new DevNetOptions { Directory = "d", Circuit = circuit }.Validate();
        var one = circuit with { Instruments = [circuit.Instruments[0]] };
        Assert.Contains("1 instruments, but 2 are listed", Assert.Throws<ArgumentException>(() => new DevNetOptions { Directory = "d", Circuit = one }.Validate()).Message);
        var swapped = circuit with { Instruments = [circuit.Instruments[1], circuit.Instruments[0]] };
        Assert.Contains("differs from BTC-PERP", Assert.Throws<ArgumentException>(() => new DevNetOptions { Directory = "d", Circuit = swapped }.Validate()).Message);
    }

    [Fact]
    public void The_default_circuit_is_valid_and_holds_every_listed_instrument()
    {
        var c = DevNetOptions.DefaultCircuit(DevNetOptions.DefaultInstruments);
        Assert.Null(c.Validate());
        Assert.Equal(2, c.InstrumentCount);
        Assert.Equal(InstrumentParams.FromSpec(DevNetOptions.DefaultInstruments[1].Spec), c.Instruments[1]);
        Assert.Equal(1, DevNetOptions.PositionsDepthFor(2));
        Assert.Equal(2, DevNetOptions.PositionsDepthFor(3));
    }
}
