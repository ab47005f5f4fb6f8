using Validium.L1.Anvil;

namespace Validium.L1.Tests;

/// <summary>
/// A throwaway anvil node for one test (<see cref="AnvilNode"/> on a free port, no state file), killed on dispose.
/// Test projects that need a chain link this file
/// (<c>&lt;Compile Include="../Validium.L1.Tests/AnvilProcess.cs" Link="AnvilProcess.cs" /&gt;</c>); it needs Validium.L1
/// and Xunit.SkippableFact. A missing binary skips the test, naming what to install.
/// </summary>
public sealed class AnvilProcess : IDisposable
{
    /// <summary>anvil's well-known development keys (mnemonic "test test … junk"), funded with 10,000 test ether each on a fresh node.</summary>
    public static readonly string[] DevKeys = [.. AnvilNode.DevKeys];

    public const long ChainId = AnvilNode.ChainId;

    private readonly AnvilNode node;

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
    public static AnvilProcess Start(params string[] extraArgs)
    {
        var binary = FindBinary();
        Skip.If(binary is null, AnvilNode.NotFoundMessage);
        return new AnvilProcess(AnvilNode.Start(new AnvilOptions { Binary = binary, ExtraArguments = extraArgs }));
    }

    public void Dispose() => node.Dispose();
}
