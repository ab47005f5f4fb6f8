using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Validium.DevNet;

/// <summary>
/// A committee member run as its own process (`vld dac member --config …`), so a reliability test can kill it
/// outright (SIGKILL, as a crash would) rather than stop it; ready once its /health answers.
/// </summary>
internal sealed partial class MemberProcess : IDisposable
{
    private const int MaxKeptLines = 500;
    private readonly Process process;
    private readonly List<string> output;

    private MemberProcess(Process process, List<string> output)
    {
        this.process = process;
        this.output = output;
    }

    public int ProcessId => process.Id;
    public bool HasExited => process.HasExited;

    public string Output
    {
        get
        {
            lock (output) return string.Join('\n', output);
        }
    }

    public static async Task<MemberProcess> StartAsync(IReadOnlyList<string> command, string config, Uri url, TimeSpan timeout, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        // Otherwise the readiness check below could be answered by someone else on the member's port.
        if (await AnswersAsync(http, url, ct))
            throw new IOException($"something already answers at {url} (a member left running by a killed devnet process?): stop it first");
        var psi = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in command.Skip(1)) psi.ArgumentList.Add(a);
        foreach (var a in new[] { "dac", "member", "--config", config }) psi.ArgumentList.Add(a);
        Process p;
        try
        {
            p = Process.Start(psi) ?? throw new IOException($"could not start {command[0]}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IOException($"could not start the member command {string.Join(' ', command)}: {e.Message}", e);
        }
        var lines = new List<string>();
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (lines)
            {
                if (lines.Count < MaxKeptLines) lines.Add(line);
            }
        }
        p.OutputDataReceived += (_, e) => OnLine(e.Data);
        p.ErrorDataReceived += (_, e) => OnLine(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var member = new MemberProcess(p, lines);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (p.HasExited)
            {
                var code = p.ExitCode;
                member.Dispose();
                throw new IOException($"the member process exited with code {code} before answering /health:\n{member.Output}");
            }
            if (await AnswersAsync(http, url, ct)) return member;
            if (DateTime.UtcNow > deadline)
            {
                member.Kill();
                member.Dispose();
                throw new TimeoutException($"the member process did not answer {url}health within {timeout.TotalSeconds} s:\n{member.Output}");
            }
            await Task.Delay(100, ct);
        }
    }

    private static async Task<bool> AnswersAsync(HttpClient http, Uri url, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(url, "/health"), ct);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>SIGKILL: what a crash leaves (the member's store must keep everything it acknowledged).</summary>
    public void Kill()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>SIGTERM (the member's host stops cleanly), killed when it has not exited in time.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        try
        {
            if (process.HasExited) return;
            if (SendSignal(process.Id, 15) == 0)
            {
                using var cts = new CancellationTokenSource(timeout);
                try
                {
                    await process.WaitForExitAsync(cts.Token);
                    return;
                }
                catch (OperationCanceledException)
                {
                    // Falls through to the kill.
                }
            }
        }
        catch (InvalidOperationException)
        {
            return;
        }
        Kill();
    }

    public void Dispose() => process.Dispose();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
