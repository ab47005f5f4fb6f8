using Validium.L1.Anvil;

namespace Validium.L1.Tests;

/// <summary>
/// A throwaway anvil node for one test (<see cref="AnvilNode"/> on a free port), killed on dispose. Test projects that
/// need a chain link this file (<c>&lt;Compile Include="../Validium.L1.Tests/AnvilProcess.cs" Link="AnvilProcess.cs" /&gt;</c>);
/// it needs Validium.L1 and Xunit.SkippableFact. A missing binary skips the test, naming what to install.
/// <para>
/// Started with <see cref="StartPersistent"/>, the node can be taken away and brought back with its chain:
/// <see cref="Stop"/> ends it with SIGTERM so it dumps its state (<c>--state FILE</c>), <see cref="Restart"/> starts it
/// again on the same port from that file, blocks and hashes as they were.
/// </para>
/// </summary>
public sealed class AnvilProcess : IDisposable
{
    /// <summary>anvil's well-known development keys (mnemonic "test test … junk"), funded with 10,000 test ether each on a fresh node.</summary>
    public static readonly string[] DevKeys = [.. AnvilNode.DevKeys];

    public const long ChainId = AnvilNode.ChainId;

    private AnvilNode node;

    private AnvilProcess(AnvilNode node) => this.node = node;

    public int Port => node.Port;
    public Uri Url => node.Url;
    public int ProcessId => node.ProcessId;
    public bool HasExited => node.HasExited;

    /// <summary>What anvil printed so far (for failure messages).</summary>
    public string Output => node.Output;

    /// <summary>The pinned binary above the test's directory, or $VALIDIUM_ANVIL.</summary>
    public static string? FindBinary() => AnvilNode.FindBinary();

    /// <summary>Starts anvil with <paramref name="extraArgs"/> (e.g. "--block-time", "1") and waits until it listens.</summary>
    public static AnvilProcess Start(params string[] extraArgs) => new(AnvilNode.Start(new AnvilOptions { Binary = Binary(), ExtraArguments = extraArgs }));

    /// <summary>Starts anvil keeping its chain in <paramref name="stateFile"/> across <see cref="Stop"/> and <see cref="Restart"/>.</summary>
    public static AnvilProcess StartPersistent(string stateFile, params string[] extraArgs) =>
        new(AnvilNode.Start(new AnvilOptions { Binary = Binary(), StateFile = stateFile, ExtraArguments = extraArgs }));

    /// <summary>Ends the node as an operator would (SIGTERM), so a persistent one writes its state file; the URL stops answering.</summary>
    public void Stop() => node.Stop(TimeSpan.FromSeconds(30));

    /// <summary>Starts a stopped persistent node again on the same port from its state file.</summary>
    public void Restart()
    {
        var options = node.Options;
        if (options.StateFile is null) throw new InvalidOperationException("only a node started with StartPersistent keeps its chain across a restart");
        if (!node.HasExited) throw new InvalidOperationException("anvil is still running: Stop it first");
        if (!File.Exists(options.StateFile)) throw new InvalidOperationException($"anvil wrote no state file at {options.StateFile} when it stopped");
        int port = node.Port;
        node.Dispose();
        node = AnvilNode.Start(options with { Port = port });
    }

    private static string Binary()
    {
        var binary = FindBinary();
        Skip.If(binary is null, AnvilNode.NotFoundMessage);
        return binary!;
    }

    public void Dispose() => node.Dispose();
}
