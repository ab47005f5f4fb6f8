using Validium.Crypto;

namespace Validium.Accel.Cpu;

/// <summary>
/// Many independent hashes, split across threads in contiguous chunks; Poseidon runs eight hashes per
/// pass (AVX-512 where present) within a chunk.
/// </summary>
internal static class Hashing
{
    private const int ChunkSize = 1024;

    public static unsafe void PoseidonBatch(ReadOnlySpan<Fr> inputs, int arity, Span<Fr> outputs, int maxThreads, CancellationToken ct)
    {
        Validate.PoseidonBatch(inputs.Length, arity, outputs.Length);
        int count = outputs.Length;
        fixed (Fr* pin = inputs)
        fixed (Fr* pout = outputs)
        {
            nint inPtr = (nint)pin, outPtr = (nint)pout;
            ForChunks(count, maxThreads, ct, (start, end) =>
            {
                var src = new ReadOnlySpan<Fr>((Fr*)inPtr, count * arity);
                var dst = new Span<Fr>((Fr*)outPtr, count);
                Poseidon.HashBatch(src.Slice(start * arity, (end - start) * arity), arity, dst[start..end]);
            });
        }
    }

    public static unsafe void KeccakBatch(ReadOnlySpan<byte> data, ReadOnlySpan<int> offsets, Span<byte> digests, int maxThreads, CancellationToken ct)
    {
        Validate.KeccakBatch(data.Length, offsets, digests.Length);
        int count = offsets.Length - 1;
        fixed (byte* pd = data)
        fixed (int* po = offsets)
        fixed (byte* pout = digests)
        {
            nint dataPtr = (nint)pd, offPtr = (nint)po, outPtr = (nint)pout;
            int dataLen = data.Length;
            ForChunks(count, maxThreads, ct, (start, end) =>
            {
                var src = new ReadOnlySpan<byte>((byte*)dataPtr, dataLen);
                var off = new ReadOnlySpan<int>((int*)offPtr, count + 1);
                var dst = new Span<byte>((byte*)outPtr, count * 32);
                for (int i = start; i < end; i++) Keccak256.Hash(src[off[i]..off[i + 1]], dst.Slice(i * 32, 32));
            });
        }
    }

    private static void ForChunks(int count, int maxThreads, CancellationToken ct, Action<int, int> body)
    {
        int chunks = (count + ChunkSize - 1) / ChunkSize;
        if (chunks <= 1 || maxThreads <= 1)
        {
            for (int c = 0; c < chunks; c++)
            {
                ct.ThrowIfCancellationRequested();
                body(c * ChunkSize, Math.Min(count, (c + 1) * ChunkSize));
            }
            return;
        }
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = maxThreads, CancellationToken = ct },
            c => body(c * ChunkSize, Math.Min(count, (c + 1) * ChunkSize)));
    }
}
