using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Validium.L1.Tests;

/// <summary>
/// A throwaway anvil node for one test: started on a free port chosen by anvil itself (--port 0, read back from its
/// "Listening on" line), killed on dispose. Test projects that need a chain link this file
/// (<c>&lt;Compile Include="../Validium.L1.Tests/AnvilProcess.cs" Link="AnvilProcess.cs" /&gt;</c>); it needs only the
/// BCL and Xunit.SkippableFact. A missing binary skips the test, naming what to install.
/// <para>
/// Started with <see cref="StartPersistent"/>, the node can be taken away and brought back with its chain:
/// <see cref="Stop"/> ends it with SIGTERM so it dumps its state (<c>--state FILE</c>), <see cref="Restart"/> starts it
/// again on the same port from that file, blocks and hashes as they were.
/// </para>
/// </summary>
public sealed partial class AnvilProcess : IDisposable
{
    /// <summary>anvil's well-known development keys (mnemonic "test test … junk"), funded with 10,000 test ether each on a fresh node.</summary>
    public static readonly string[] DevKeys =
    [
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
        "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
        "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
        "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
        "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
    ];

    public const long ChainId = 31337;

    private readonly string binary;
    private readonly string[] args;
    private readonly string? stateFile;
    private Process process;
    private List<string> output;

    private AnvilProcess(string binary, string[] args, string? stateFile, Process process, int port, List<string> output)
    {
        this.binary = binary;
        this.args = args;
        this.stateFile = stateFile;
        this.process = process;
        this.output = output;
        Port = port;
        Url = new Uri($"http://127.0.0.1:{port}/");
    }

    public int Port { get; }
    public Uri Url { get; }
    public int ProcessId => process.Id;
    public bool HasExited => process.HasExited;

    /// <summary>What anvil printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (output) return string.Join('\n', output);
        }
    }

    /// <summary>node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil above the test's directory, or $VALIDIUM_ANVIL.</summary>
    public static string? FindBinary()
    {
        if (Environment.GetEnvironmentVariable("VALIDIUM_ANVIL") is { Length: > 0 } env && File.Exists(env)) return env;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Starts anvil with <paramref name="extraArgs"/> (e.g. "--block-time", "1") and waits until it listens.</summary>
    public static AnvilProcess Start(params string[] extraArgs)
    {
        var binary = Binary();
        var (p, port, lines) = Launch(binary, ["--host", "127.0.0.1", "--port", "0", .. extraArgs]);
        return new AnvilProcess(binary, extraArgs, null, p, port, lines);
    }

    /// <summary>Starts anvil keeping its chain in <paramref name="stateFile"/> across <see cref="Stop"/> and <see cref="Restart"/>.</summary>
    public static AnvilProcess StartPersistent(string stateFile, params string[] extraArgs)
    {
        var binary = Binary();
        var (p, port, lines) = Launch(binary, ["--host", "127.0.0.1", "--port", "0", "--state", stateFile, .. extraArgs]);
        return new AnvilProcess(binary, extraArgs, stateFile, p, port, lines);
    }

    /// <summary>Ends the node as an operator would (SIGTERM), so a persistent one writes its state file; the URL stops answering.</summary>
    public void Stop()
    {
        if (process.HasExited) return;
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
            kill?.WaitForExit(10_000);
        if (!process.WaitForExit(30_000)) throw new TimeoutException("anvil did not exit within 30 s of SIGTERM");
        process.WaitForExit();
    }

    /// <summary>Starts a stopped persistent node again on the same port from its state file.</summary>
    public void Restart()
    {
        if (stateFile is null) throw new InvalidOperationException("only a node started with StartPersistent keeps its chain across a restart");
        if (!process.HasExited) throw new InvalidOperationException("anvil is still running: Stop it first");
        if (!File.Exists(stateFile)) throw new InvalidOperationException($"anvil wrote no state file at {stateFile} when it stopped");
        process.Dispose();
        var (p, port, lines) = Launch(binary, ["--host", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--state", stateFile, .. args]);
        if (port != Port) throw new InvalidOperationException($"anvil restarted on port {port}, not {Port}");
        process = p;
        output = lines;
    }

    private static string Binary()
    {
        var binary = FindBinary();
        Skip.If(binary is null, "anvil is not installed: run npm ci at the repository root (the README's test command does) or set VALIDIUM_ANVIL");
        return binary!;
    }

    private static (Process Process, int Port, List<string> Lines) Launch(string binary, string[] arguments)
    {
        var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {binary}");
        var lines = new List<string>();
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (lines)
            {
                if (lines.Count < 2000) lines.Add(line);
            }
            if (ListeningLine().Match(line) is { Success: true } m) listening.TrySetResult(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
        p.OutputDataReceived += (_, e) => OnLine(e.Data);
        p.ErrorDataReceived += (_, e) => OnLine(e.Data);
        p.EnableRaisingEvents = true;
        p.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"anvil exited with code {p.ExitCode} before listening"));
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        try
        {
            if (!listening.Task.Wait(TimeSpan.FromSeconds(30))) throw new TimeoutException("anvil did not report a listening port within 30 s");
        }
        catch
        {
            Kill(p);
            p.Dispose();
            lock (lines) throw new InvalidOperationException("anvil failed to start:\n" + string.Join('\n', lines));
        }
        return (p, listening.Task.Result, lines);
    }

    public void Dispose()
    {
        Kill(process);
        process.Dispose();
    }

    private static void Kill(Process p)
    {
        try
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    [GeneratedRegex(@"Listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}
