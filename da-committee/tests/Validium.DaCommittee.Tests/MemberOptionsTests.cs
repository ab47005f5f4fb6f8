namespace Validium.DaCommittee.Tests;

/// <summary>A member's configuration file: every problem named before anything starts; paths relative to the file.</summary>
public sealed class MemberOptionsTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("dac-config-");

    public void Dispose() => dir.Delete(true);

    private string Write(string json)
    {
        var path = Path.Combine(dir.FullName, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void A_valid_file_loads_with_paths_relative_to_it_and_loopback_and_keep_forever_defaults()
    {
        var path = Write("""
            { "Keystore": "k.json", "DataDir": "data", "PasswordFile": "pw", "ChainId": "31337",
              "Contract": "0x00000000000000000000000000000000000000aa", "Sequencer": "0x00000000000000000000000000000000000000bb",
              "Committee": { "Members": ["0x00000000000000000000000000000000000000cc"], "Threshold": 1 } }
            """);
        var o = MemberOptions.Load(path);
        Assert.Equal(Path.Combine(dir.FullName, "k.json"), o.Keystore);
        Assert.Equal(Path.Combine(dir.FullName, "data"), o.DataDir);
        Assert.Equal(Path.Combine(dir.FullName, "pw"), o.PasswordFile);
        var v = o.Validate();
        Assert.Equal("127.0.0.1", v.Listen.Host);
        Assert.Null(o.RetainFinalizedBatches);
        Assert.Equal("static", new Client.StaticCommittee(v.StaticCommittee!).Kind);
    }

    [Fact]
    public void Every_problem_is_named_at_once()
    {
        var o = new MemberOptions
        {
            Listen = "ftp://x",
            ChainId = "0",
            Contract = "0x12",
            Sequencer = "",
            CompressionLevel = 30,
            Committee = new MemberOptions.StaticCommitteeOptions { Members = ["0x00000000000000000000000000000000000000cc", "nope"], Threshold = 3 },
            RetainFinalizedBatches = 10,
        };
        var message = Assert.Throws<FormatException>(() => o.Validate()).Message;
        foreach (var part in new[] { "Listen", "Keystore", "DataDir", "ChainId", "Contract must", "Sequencer must", "CompressionLevel", "'nope'", "threshold 3", "RetainFinalizedBatches needs L1" })
            Assert.Contains(part, message);
    }

    [Fact]
    public void Unknown_fields_and_broken_json_are_refused_naming_the_file()
    {
        var path = Write("""{ "Keystore": "k.json", "Sequencr": "0x00" }""");
        var e = Assert.Throws<FormatException>(() => MemberOptions.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("Sequencr", e.Message);
        path = Write("{ \"Keystore\": ");
        Assert.Contains(path, Assert.Throws<FormatException>(() => MemberOptions.Load(path)).Message);
        Assert.Throws<FileNotFoundException>(() => MemberOptions.Load(Path.Combine(dir.FullName, "absent.json")));
    }
}
