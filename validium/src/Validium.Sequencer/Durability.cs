using System.Runtime.InteropServices;

namespace Validium.Sequencer;

/// <summary>
/// What .NET lacks for crash-safe files: a new, renamed or deleted directory entry survives a crash only once
/// the directory itself is fsynced, and .NET refuses to open a directory as a file, so this goes to libc.
/// </summary>
public static partial class Durability
{
    private const int ORdOnly = 0;

    /// <summary>
    /// Replaces a file whole: temp file, fsync, rename over the old one, directory fsync. A crash leaves the old or
    /// the new content, never a mix.
    /// </summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        var tmp = full + ".tmp";
        using (var handle = File.OpenHandle(tmp, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.Write(handle, content, 0);
            RandomAccess.FlushToDisk(handle);
        }
        File.Move(tmp, full, overwrite: true);
        FlushDirectory(dir);
    }

    public static void FlushDirectory(string directory)
    {
        // Windows commits directory entries through NTFS's own metadata journal and has no directory handle to flush.
        if (OperatingSystem.IsWindows()) return;
        int fd = Open(directory, ORdOnly);
        if (fd < 0) throw new IOException($"cannot open directory {directory} to flush it: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        try
        {
            if (Fsync(fd) != 0)
                throw new IOException($"fsync of directory {directory} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
