using Validium.Circuits;
using Validium.Exchange;

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

    [Fact]
    public void Options_are_listed_with_an_expiry_slot_and_a_spot_slot_each_and_bad_listings_are_named()
    {
        var call = DevNetOptions.BtcOption(InstrumentKind.Call, 50_000 * DevNetOptions.Usd, 1_830_297_600_000);
        DevNetInstrument[] listed = [.. DevNetOptions.DefaultInstruments, new("BTC-C", call, 0), new("BTC-P", call with { Kind = InstrumentKind.Put }, 0)];
        var c = DevNetOptions.DefaultCircuit(listed);
        Assert.Null(c.Validate());
        Assert.Equal((4, 2, 6, 1), (c.InstrumentCount, c.OptionCount, c.PriceCount, c.Shape.Expiries));
        Assert.Equal(0, DevNetOptions.DefaultCircuit(DevNetOptions.DefaultInstruments).Shape.Expiries);
        new DevNetOptions { Directory = "d", Instruments = listed, Circuit = c }.Validate();

        DevNetInstrument[] bad = [DevNetOptions.DefaultInstruments[1], new("BTC-C", call, 5), new("BTC-S", call with { Expiry = call.Expiry + 1 }, 0)];
        var e = Assert.Throws<ArgumentException>(() => new DevNetOptions { Directory = "d", Instruments = bad }.Validate()).Message;
        Assert.Contains("BTC-C: no perpetual on underlying 0", e);
        Assert.Contains("BTC-C: an option's initial price must be 0", e);
        Assert.Contains("BTC-S: the expiry must be a whole second", e);
    }
}
