using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Validium.Crypto.Hashing;

/// <summary>
/// BLAKE-512, the SHA-3 finalist (Aumasson et al., final round version, 16 rounds) — not BLAKE2b.
/// circomlibjs derives EdDSA keys and nonces with it (npm blake-hash), and no .NET library ships it.
/// Salt is always zero, as in that use.
/// </summary>
public static class Blake512
{
    public const int HashSizeBytes = 64;
    private const int BlockBytes = 128;
    private const int Rounds = 16;

    private static readonly ulong[] Iv =
    [
        0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
        0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
    ];

    // The first digits of pi, the spec's c_0..c_15.
    private static readonly ulong[] C =
    [
        0x243f6a8885a308d3, 0x13198a2e03707344, 0xa4093822299f31d0, 0x082efa98ec4e6c89,
        0x452821e638d01377, 0xbe5466cf34e90c6c, 0xc0ac29b7c97c50dd, 0x3f84d5b5b5470917,
        0x9216d5d98979fb1b, 0xd1310ba698dfb5ac, 0x2ffd72dbd01adfb7, 0xb8e1afed6a267e96,
        0xba7c9045f12c7f99, 0x24a19947b3916cf7, 0x0801f2e2858efc16, 0x636920d871574e69,
    ];

    private static readonly byte[,] Sigma =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
        { 14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3 },
        { 11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4 },
        { 7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8 },
        { 9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13 },
        { 2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9 },
        { 12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11 },
        { 13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10 },
        { 6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5 },
        { 10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0 },
    };

    public static byte[] Hash(ReadOnlySpan<byte> message)
    {
        var digest = new byte[HashSizeBytes];
        Hash(message, digest);
        return digest;
    }

    public static void Hash(ReadOnlySpan<byte> message, Span<byte> digest)
    {
        if (digest.Length < HashSizeBytes) throw new ArgumentException($"need {HashSizeBytes} bytes", nameof(digest));
        Span<ulong> h = stackalloc ulong[8];
        Iv.CopyTo(h);

        int fullBlocks = message.Length / BlockBytes;
        UInt128 counter = 0;
        for (int i = 0; i < fullBlocks; i++)
        {
            counter += BlockBytes * 8;
            Compress(h, message.Slice(i * BlockBytes, BlockBytes), counter);
        }

        // Padding: a 1 bit, zeros, a 1 bit just before the 128-bit big-endian bit length. The counter
        // is the number of message bits hashed so far, and zero for a block holding only padding.
        int rem = message.Length % BlockBytes;
        UInt128 totalBits = (UInt128)(ulong)message.Length * 8;
        Span<byte> tail = stackalloc byte[2 * BlockBytes];
        tail.Clear();
        message[(fullBlocks * BlockBytes)..].CopyTo(tail);
        tail[rem] = 0x80;
        if (rem < BlockBytes - 16)
        {
            tail[BlockBytes - 17] |= 0x01;
            WriteLength(tail[(BlockBytes - 16)..], totalBits);
            Compress(h, tail[..BlockBytes], rem == 0 ? 0 : totalBits);
        }
        else
        {
            Compress(h, tail[..BlockBytes], totalBits);
            var last = tail[BlockBytes..];
            last[BlockBytes - 17] = 0x01;
            WriteLength(last[(BlockBytes - 16)..], totalBits);
            Compress(h, last, 0);
        }

        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteUInt64BigEndian(digest[(8 * i)..], h[i]);
    }

    private static void WriteLength(Span<byte> dst, UInt128 bits)
    {
        BinaryPrimitives.WriteUInt64BigEndian(dst, (ulong)(bits >> 64));
        BinaryPrimitives.WriteUInt64BigEndian(dst[8..], (ulong)bits);
    }

    private static void Compress(Span<ulong> h, ReadOnlySpan<byte> block, UInt128 counter)
    {
        Span<ulong> m = stackalloc ulong[16];
        for (int i = 0; i < 16; i++) m[i] = BinaryPrimitives.ReadUInt64BigEndian(block[(8 * i)..]);

        Span<ulong> v = stackalloc ulong[16];
        h.CopyTo(v);
        ulong t0 = (ulong)counter, t1 = (ulong)(counter >> 64);
        v[8] = C[0];
        v[9] = C[1];
        v[10] = C[2];
        v[11] = C[3];
        v[12] = t0 ^ C[4];
        v[13] = t0 ^ C[5];
        v[14] = t1 ^ C[6];
        v[15] = t1 ^ C[7];

        for (int r = 0; r < Rounds; r++)
        {
            int s = r % 10;
            G(v, m, s, 0, 4, 8, 12, 0);
            G(v, m, s, 1, 5, 9, 13, 2);
            G(v, m, s, 2, 6, 10, 14, 4);
            G(v, m, s, 3, 7, 11, 15, 6);
            G(v, m, s, 0, 5, 10, 15, 8);
            G(v, m, s, 1, 6, 11, 12, 10);
            G(v, m, s, 2, 7, 8, 13, 12);
            G(v, m, s, 3, 4, 9, 14, 14);
        }

        for (int i = 0; i < 8; i++) h[i] ^= v[i] ^ v[i + 8];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void G(Span<ulong> v, ReadOnlySpan<ulong> m, int s, int a, int b, int c, int d, int e)
    {
        int x = Sigma[s, e], y = Sigma[s, e + 1];
        v[a] += v[b] + (m[x] ^ C[y]);
        v[d] = BitOperations.RotateRight(v[d] ^ v[a], 32);
        v[c] += v[d];
        v[b] = BitOperations.RotateRight(v[b] ^ v[c], 25);
        v[a] += v[b] + (m[y] ^ C[x]);
        v[d] = BitOperations.RotateRight(v[d] ^ v[a], 16);
        v[c] += v[d];
        v[b] = BitOperations.RotateRight(v[b] ^ v[c], 11);
    }
}
