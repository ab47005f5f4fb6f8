using Validium.L1.Anvil;
using Validium.L1.Rpc;

namespace Validium.L1.Tests;

public sealed class AnvilNodeTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("anvil-node-");

    public void Dispose() => dir.Delete(true);

    private static string Binary()
    {
        var b = AnvilNode.FindBinary();
        Skip.If(b is null, AnvilNode.NotFoundMessage);
        return b!;
    }

    private static async Task<long> MineAndReadHeight(AnvilNode node, int blocks)
    {
        using var rpc = new JsonRpcClient(node.Url);
        await rpc.CallAsync("anvil_mine", [blocks]);
        return await new EthClient(rpc).BlockNumberAsync();
    }

    private static async Task<long> Height(AnvilNode node)
    {
        using var rpc = new JsonRpcClient(node.Url);
        return await new EthClient(rpc).BlockNumberAsync();
    }

    [SkippableFact]
    public async Task A_graceful_stop_keeps_the_chain_in_the_state_file_and_a_restart_on_the_same_port_loads_it()
    {
        var options = new AnvilOptions { Binary = Binary(), StateFile = Path.Combine(dir.FullName, "chain", "state.json") };
        int port;
        using (var node = AnvilNode.Start(options))
        {
            port = node.Port;
            Assert.Equal(7, await MineAndReadHeight(node, 7));
            node.Stop();
            Assert.True(node.HasExited);
        }
        Assert.True(File.Exists(options.StateFile));
        using var again = AnvilNode.Start(options with { Port = port });
        Assert.Equal(port, again.Port);
        Assert.Equal(7, await Height(again));
    }

    [SkippableFact]
    public async Task A_killed_node_comes_back_with_what_the_last_periodic_write_held()
    {
        var options = new AnvilOptions { Binary = Binary(), StateFile = Path.Combine(dir.FullName, "state.json"), StateIntervalSeconds = 1 };
        using (var node = AnvilNode.Start(options))
        {
            await MineAndReadHeight(node, 5);
            await Task.Delay(2_500);
            node.Kill();
        }
        using var again = AnvilNode.Start(options);
        Assert.Equal(5, await Height(again));
    }

    [SkippableFact]
    public async Task A_state_file_damaged_mid_write_is_replaced_by_the_last_whole_copy()
    {
        var state = Path.Combine(dir.FullName, "state.json");
        var options = new AnvilOptions { Binary = Binary(), StateFile = state };
        using (var node = AnvilNode.Start(options))
        {
            await MineAndReadHeight(node, 4);
            node.Stop();
        }
        // What a kill during anvil's in-place rewrite leaves: an empty file, or the start of one.
        File.WriteAllText(state, "");
        using (var again = AnvilNode.Start(options))
        {
            Assert.True(again.RestoredFromBackup);
            Assert.Equal(4, await Height(again));
        }
        var whole = File.ReadAllText(state);
        File.WriteAllText(state, whole[..(whole.Length / 2)]);
        using (var again = AnvilNode.Start(options))
        {
            Assert.True(again.RestoredFromBackup);
            Assert.Equal(4, await Height(again));
        }

        File.WriteAllText(state, "{");
        File.Delete(state + ".prev");
        Assert.Contains("no whole backup", Assert.Throws<InvalidDataException>(() => AnvilNode.Start(options)).Message);
    }

    [SkippableFact]
    public async Task An_anvil_left_running_on_the_state_file_by_a_dead_parent_is_stopped_before_the_next_start()
    {
        var options = new AnvilOptions { Binary = Binary(), StateFile = Path.Combine(dir.FullName, "state.json") };
        var orphan = AnvilNode.Start(options);
        try
        {
            await MineAndReadHeight(orphan, 6);
            using var next = AnvilNode.Start(options with { Port = orphan.Port });
            Assert.True(orphan.HasExited);
            Assert.Equal(6, await Height(next));
        }
        finally
        {
            orphan.Dispose();
        }
    }

    [SkippableFact]
    public async Task Without_a_state_file_every_start_is_a_fresh_chain()
    {
        var options = new AnvilOptions { Binary = Binary() };
        using (var node = AnvilNode.Start(options)) await MineAndReadHeight(node, 3);
        using var fresh = AnvilNode.Start(options);
        Assert.Equal(0, await Height(fresh));
    }

    [Fact]
    public void Bad_options_and_a_missing_binary_are_clear_errors()
    {
        Assert.Contains("port", Assert.Throws<ArgumentException>(() => AnvilNode.Start(new AnvilOptions { Port = 70_000 })).Message);
        Assert.Contains("block time", Assert.Throws<ArgumentException>(() => AnvilNode.Start(new AnvilOptions { BlockTimeSeconds = 0 })).Message);
        var missing = Path.Combine(dir.FullName, "no-anvil");
        Assert.Contains(missing, Assert.Throws<AnvilNotFoundException>(() => AnvilNode.Start(new AnvilOptions { Binary = missing })).Message);
    }

    [SkippableFact]
    public void A_port_in_use_fails_the_start_with_what_anvil_said()
    {
        var binary = Binary();
        using var first = AnvilNode.Start(new AnvilOptions { Binary = binary });
        var e = Assert.Throws<InvalidOperationException>(() => AnvilNode.Start(new AnvilOptions { Binary = binary, Port = first.Port, StartTimeout = TimeSpan.FromSeconds(10) }));
        Assert.Contains("anvil failed to start", e.Message);
    }
}
