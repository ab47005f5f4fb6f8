using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Validium.L1.Anvil;

/// <summary>The pinned anvil binary is not installed (or $VALIDIUM_ANVIL names no file).</summary>
public sealed class AnvilNotFoundException(string message) : Exception(message);

/// <summary>How to run anvil.</summary>
public sealed record AnvilOptions
{
    /// <summary>The binary; null looks for the repository's pinned one (<see cref="AnvilNode.FindBinary"/>).</summary>
    public string? Binary { get; init; }

    /// <summary>0 lets anvil pick a free port (read back from its "Listening on" line).</summary>
    public int Port { get; init; }

    /// <summary>
    /// Where the chain lives between runs (anvil --state): loaded on start when it exists, written on a graceful stop
    /// and every <see cref="StateIntervalSeconds"/>, so even a killed node comes back with all but the last interval.
    /// Null: the chain is gone when the process is.
    /// </summary>
    public string? StateFile { get; init; }

    public int StateIntervalSeconds { get; init; } = 1;

    /// <summary>Interval mining in seconds; null mines one block per transaction (anvil's default).</summary>
    public double? BlockTimeSeconds { get; init; }

    /// <summary>Passed through as they are (e.g. "--accounts", "3").</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public void Validate()
    {
        if (Port is < 0 or > 65535) throw new ArgumentException($"anvil port must be 0..65535 (0: a free one), got {Port}");
        if (StateIntervalSeconds is < 1 or > 3600) throw new ArgumentException($"state interval must be 1..3600 s, got {StateIntervalSeconds}");
        if (BlockTimeSeconds is { } b && (double.IsNaN(b) || b <= 0 || b > 3600)) throw new ArgumentException($"block time must be in (0, 3600] s, got {b}");
        if (StartTimeout <= TimeSpan.Zero) throw new ArgumentException("start timeout must be positive");
    }
}

/// <summary>
/// One anvil process (Foundry's development chain, pinned in the repository's package.json) on loopback: started,
/// waited for until it listens, stopped gracefully (SIGTERM, so it writes its state file) or killed.
/// </summary>
public sealed partial class AnvilNode : IDisposable
{
    /// <summary>anvil's well-known development keys (mnemonic "test test … junk"), funded with 10,000 test ether each on a fresh node.</summary>
    public static readonly IReadOnlyList<string> DevKeys =
    [
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
        "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
        "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
        "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
        "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
    ];

    public const long ChainId = 31337;

    public const string BinaryEnvironmentVariable = "VALIDIUM_ANVIL";

    private const int MaxKeptLines = 2000;
    private const int SigTerm = 15;

    private readonly Process process;
    private readonly List<string> output;

    private AnvilNode(Process process, int port, List<string> output, AnvilOptions options)
    {
        this.process = process;
        this.output = output;
        Options = options;
        Port = port;
        Url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        if (options.StateFile is { } state)
            backups = new Timer(_ => Backup(state), null, BackupInterval, BackupInterval);
    }

    /// <summary>How often a whole state file is copied aside (<see cref="AnvilStateFile"/>).</summary>
    private static readonly TimeSpan BackupInterval = TimeSpan.FromSeconds(5);

    private readonly Timer? backups;
    private readonly Lock backupLock = new();

    private void Backup(string state)
    {
        lock (backupLock)
        {
            try
            {
                AnvilStateFile.TryBackup(state);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The next round tries again; the backup on disk is still a whole, if older, chain.
            }
        }
    }

    /// <summary>The state file was damaged (anvil killed while writing it) and the last whole copy was loaded instead.</summary>
    public bool RestoredFromBackup { get; private init; }

    public AnvilOptions Options { get; }
    public int Port { get; }
    public Uri Url { get; }
    public int ProcessId => process.Id;
    public bool HasExited => process.HasExited;

    /// <summary>What anvil printed so far, its first <see cref="MaxKeptLines"/> lines (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (output) return string.Join('\n', output);
        }
    }

    /// <summary>$VALIDIUM_ANVIL, else node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil above the program's or the working directory.</summary>
    public static string? FindBinary()
    {
        if (Environment.GetEnvironmentVariable(BinaryEnvironmentVariable) is { Length: > 0 } env && File.Exists(env)) return env;
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                var candidate = Path.Combine(d.FullName, "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    public static string NotFoundMessage =>
        $"anvil is not installed: run npm ci at the repository root (the README's test command does) or set ${BinaryEnvironmentVariable}";

    /// <summary>Starts anvil and waits until it listens; a missing binary is an <see cref="AnvilNotFoundException"/>.</summary>
    public static AnvilNode Start(AnvilOptions? options = null)
    {
        options ??= new AnvilOptions();
        options.Validate();
        var binary = options.Binary ?? FindBinary() ?? throw new AnvilNotFoundException(NotFoundMessage);
        if (!File.Exists(binary)) throw new AnvilNotFoundException($"anvil binary {binary} does not exist");
        var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in Arguments(options)) psi.ArgumentList.Add(a);
        bool restored = false;
        if (options.StateFile is { } state)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(state))!);
            AnvilStateFile.StopOrphan(state, SendSignal);
            restored = AnvilStateFile.Prepare(state);
        }
        var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {binary}");
        var lines = new List<string>();
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (lines)
            {
                if (lines.Count < MaxKeptLines) lines.Add(line);
            }
            if (ListeningLine().Match(line) is { Success: true } m) listening.TrySetResult(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        }
        p.OutputDataReceived += (_, e) => OnLine(e.Data);
        p.ErrorDataReceived += (_, e) => OnLine(e.Data);
        p.EnableRaisingEvents = true;
        p.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"anvil exited with code {p.ExitCode} before listening"));
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        try
        {
            if (!listening.Task.Wait(options.StartTimeout)) throw new TimeoutException($"anvil did not report a listening port within {options.StartTimeout.TotalSeconds} s");
        }
        catch
        {
            Kill(p);
            p.Dispose();
            lock (lines) throw new InvalidOperationException($"anvil failed to start ({string.Join(' ', psi.ArgumentList)}):\n" + string.Join('\n', lines));
        }
        if (options.StateFile is { } file) File.WriteAllText(AnvilStateFile.PidFileOf(file), p.Id.ToString(CultureInfo.InvariantCulture));
        return new AnvilNode(p, listening.Task.Result, lines, options) { RestoredFromBackup = restored };
    }

    private static List<string> Arguments(AnvilOptions o)
    {
        var args = new List<string> { "--host", "127.0.0.1", "--port", o.Port.ToString(CultureInfo.InvariantCulture) };
        if (o.StateFile is { } state)
            args.AddRange(["--state", Path.GetFullPath(state), "--state-interval", o.StateIntervalSeconds.ToString(CultureInfo.InvariantCulture)]);
        if (o.BlockTimeSeconds is { } b) args.AddRange(["--block-time", b.ToString("R", CultureInfo.InvariantCulture)]);
        args.AddRange(o.ExtraArguments);
        return args;
    }

    /// <summary>SIGTERM, so anvil writes its state file, then waits; a node that does not exit in time is killed.</summary>
    public void Stop(TimeSpan? timeout = null)
    {
        try
        {
            if (process.HasExited) return;
            if (SendSignal(process.Id, SigTerm) == 0 && process.WaitForExit(timeout ?? TimeSpan.FromSeconds(20))) return;
        }
        catch (InvalidOperationException)
        {
            return;
        }
        Kill(process);
    }

    /// <summary>SIGKILL: the state file keeps what its last periodic write held.</summary>
    public void Kill() => Kill(process);

    /// <summary>A node with a state file stops gracefully (keeping its chain); one without is killed.</summary>
    public void Dispose()
    {
        backups?.Dispose();
        if (Options.StateFile is { } state)
        {
            Stop();
            Backup(state);
            File.Delete(AnvilStateFile.PidFileOf(state));
        }
        else Kill();
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

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);

    [GeneratedRegex(@"Listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}
