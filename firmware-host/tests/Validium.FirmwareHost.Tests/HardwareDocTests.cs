namespace Validium.FirmwareHost.Tests;

/// <summary>hardware.md is the contract with the firmware team: its tables must say what the code does.</summary>
public class HardwareDocTests
{
    private static readonly string[] Doc = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "hardware.md"));

    private static List<string[]> Table(string header)
    {
        int start = Array.FindIndex(Doc, l => l.Trim() == header);
        Assert.True(start >= 0, $"hardware.md has no table headed '{header}'");
        var rows = new List<string[]>();
        for (int i = start + 2; i < Doc.Length && Doc[i].StartsWith('|'); i++)
        {
            var cells = Doc[i].Replace("\\|", "\u0001").Trim('|').Split('|').Select(c => c.Trim().Replace('\u0001', '|')).ToArray();
            rows.Add(cells);
        }
        return rows;
    }

    [Fact]
    public void RegisterTableMatchesTheCode()
    {
        var rows = Table("| Offset | Name | Access | Description |");
        Assert.Equal(Reg.All.Count, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            var r = Reg.All[i];
            string access = r.Access switch
            {
                RegisterAccess.ReadOnly => "RO",
                RegisterAccess.ReadWrite => "RW",
                RegisterAccess.WriteOnly => "WO",
                _ => "W1C",
            };
            Assert.Equal([$"0x{r.Address:X3}", r.Name, access, r.Description], rows[i]);
        }
    }

    [Fact]
    public void ErrorCodeTableMatchesTheEnum()
    {
        var rows = Table("| Code | Name | Meaning |");
        var codes = Enum.GetValues<BoardError>();
        Assert.Equal(codes.Length, rows.Count);
        foreach (var (code, row) in codes.Zip(rows))
        {
            Assert.Equal(((uint)code).ToString(), row[0]);
            string snake = string.Concat(code.ToString().Select((ch, i) => i > 0 && char.IsUpper(ch) ? "_" + ch : ch.ToString())).ToUpperInvariant();
            Assert.Equal(snake, row[1]);
        }
    }

    [Fact]
    public void DataWindowsMatch()
    {
        var rows = Table("| Window | Base address | Size | Direction |");
        Assert.Equal(DataWindow.InputBase, Convert.ToUInt32(rows[0][1].Replace("_", ""), 16));
        Assert.Equal(DataWindow.OutputBase, Convert.ToUInt32(rows[1][1].Replace("_", ""), 16));
        Assert.Equal($"{DataWindow.InputBytes >> 20} MiB", rows[0][2]);
        Assert.Equal($"{DataWindow.OutputBytes >> 20} MiB", rows[1][2]);
    }

    [Fact]
    public void GpioLinesMatchTheDefaultPins()
    {
        var pins = Table("| GPIO line | Default pin | Direction | Meaning |").ToDictionary(r => r[0], r => int.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture));
        var board = new SpiBoardPins();
        var config = new ConfigPins();
        Assert.Equal(new Dictionary<string, int>
        {
            ["RESET_N"] = board.ResetN, ["READY"] = board.Ready, ["ERROR"] = board.Error,
            ["PROG_B"] = config.ProgB, ["INIT_B"] = config.InitB, ["DONE"] = config.Done,
        }, pins);
        var header = Table("| Signal | Host pin (BCM) | Header pin | Board side |").ToDictionary(r => r[0], r => r[1]);
        foreach (var (line, pin) in pins) Assert.Equal($"GPIO{pin}", header[line]);
    }
}
