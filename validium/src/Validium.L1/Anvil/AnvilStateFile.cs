using System.Text.Json;

namespace Validium.L1.Anvil;

/// <summary>
/// anvil rewrites its state file in place (measured: the file is empty for a moment during each periodic write), so a
/// node killed at the wrong moment would leave no chain at all. A copy known to be whole, &lt;state&gt;.prev, is refreshed
/// from every complete state file seen, and replaces a damaged one before anvil loads it.
/// </summary>
internal static class AnvilStateFile
{
    public static string BackupOf(string stateFile) => stateFile + ".prev";

    /// <summary>
    /// Before a start: a complete state file is backed up; a damaged one is replaced by the backup (true), or refused
    /// when there is none. A missing file is a fresh chain.
    /// </summary>
    public static bool Prepare(string stateFile)
    {
        if (!File.Exists(stateFile)) return false;
        if (TryBackup(stateFile)) return false;
        var backup = BackupOf(stateFile);
        if (!File.Exists(backup) || !IsComplete(File.ReadAllBytes(backup)))
            throw new InvalidDataException($"anvil state file {stateFile} is damaged (empty or cut short) and there is no whole backup: remove it to start a fresh chain");
        AtomicFile.Write(stateFile, File.ReadAllBytes(backup));
        return true;
    }

    /// <summary>Copies the state file to its backup when what was read is whole JSON (anvil may be writing it right now).</summary>
    public static bool TryBackup(string stateFile)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(stateFile);
        }
        catch (IOException)
        {
            return false;
        }
        if (!IsComplete(bytes)) return false;
        var backup = BackupOf(stateFile);
        AtomicFile.Write(backup, bytes);
        return true;
    }

    public static string PidFileOf(string stateFile) => stateFile + ".pid";

    /// <summary>
    /// An anvil left running on this state file by a process that died without stopping it (kill -9 of its parent):
    /// asked to stop, so it writes the chain and frees the port. Only a process whose command line names this state
    /// file is touched.
    /// </summary>
    public static void StopOrphan(string stateFile, Func<int, int, int> signal)
    {
        var pidFile = PidFileOf(stateFile);
        if (!File.Exists(pidFile)) return;
        if (int.TryParse(File.ReadAllText(pidFile).Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
            && File.Exists($"/proc/{pid}/cmdline")
            && File.ReadAllText($"/proc/{pid}/cmdline").Split('\0') is var args && args.Contains("--state") && args.Contains(Path.GetFullPath(stateFile)))
        {
            try
            {
                using var orphan = System.Diagnostics.Process.GetProcessById(pid);
                _ = signal(pid, 15);
                if (!orphan.WaitForExit(TimeSpan.FromSeconds(20))) orphan.Kill();
                orphan.WaitForExit(TimeSpan.FromSeconds(10));
            }
            catch (ArgumentException)
            {
                // Exited in the meantime.
            }
        }
        File.Delete(pidFile);
    }

    private static bool IsComplete(byte[] bytes)
    {
        if (bytes.Length == 0) return false;
        try
        {
            var reader = new Utf8JsonReader(bytes);
            while (reader.Read())
            {
                // Reading to the end is the check: a cut-short document throws.
            }
            return reader.BytesConsumed == bytes.Length || bytes.AsSpan((int)reader.BytesConsumed).Trim("\r\n\t "u8).IsEmpty;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
