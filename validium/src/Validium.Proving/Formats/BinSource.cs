using Microsoft.Win32.SafeHandles;

namespace Validium.Proving.Formats;

/// <summary>
/// Where a binfile's bytes come from: an array already in memory, or a file read piece by piece, so that a large
/// section goes straight into the array that keeps it (no whole-file buffer and no second copy) and several threads
/// can read and check its parts at once.
/// </summary>
internal abstract class BinSource : IDisposable
{
    public abstract long Length { get; }

    /// <summary>Fills dst with the bytes at offset; the range lies within <see cref="Length"/>.</summary>
    public abstract void Read(long offset, Span<byte> dst);

    /// <summary>The bytes of a range: a slice of the array, or a fresh copy of the file's.</summary>
    public virtual ReadOnlyMemory<byte> Memory(long offset, int length)
    {
        var bytes = GC.AllocateUninitializedArray<byte>(length);
        Read(offset, bytes);
        return bytes;
    }

    public virtual void Dispose()
    {
    }

    public static BinSource Open(string path) => new FileSource(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read));

    public static BinSource Of(byte[] data) => new ArraySource(data);

    private sealed class ArraySource(byte[] data) : BinSource
    {
        public override long Length => data.Length;

        public override void Read(long offset, Span<byte> dst) => data.AsSpan(checked((int)offset), dst.Length).CopyTo(dst);

        public override ReadOnlyMemory<byte> Memory(long offset, int length) => data.AsMemory(checked((int)offset), length);
    }

    /// <summary>The length is taken once at open: a file that shrinks while being read is an error, not a short section.</summary>
    private sealed class FileSource(SafeFileHandle handle) : BinSource
    {
        public override long Length { get; } = RandomAccess.GetLength(handle);

        public override void Read(long offset, Span<byte> dst)
        {
            while (!dst.IsEmpty)
            {
                int n = RandomAccess.Read(handle, dst, offset);
                if (n == 0) throw new IOException($"the file ended at byte {offset} while being read; was it changed meanwhile?");
                dst = dst[n..];
                offset += n;
            }
        }

        public override void Dispose() => handle.Dispose();
    }
}
