using Org.BouncyCastle.Crypto.Digests;

namespace Validium.Crypto;

/// <summary>
/// Ethereum's Keccak-256: the original Keccak padding (0x01), not FIPS-202 SHA3-256 (0x06), so the two give different digests.
/// An instance is an incremental hasher and is not thread-safe; the static methods are.
/// </summary>
public sealed class Keccak256
{
    public const int HashLength = 32;

    // One digest per thread lets the static span form run without allocating.
    [ThreadStatic] private static KeccakDigest? cached;

    private readonly KeccakDigest digest = new(256);

    public Keccak256 Append(ReadOnlySpan<byte> data)
    {
        digest.BlockUpdate(data);
        return this;
    }

    /// <summary>Writes the digest of everything appended so far and starts over.</summary>
    public void GetHashAndReset(Span<byte> destination)
    {
        CheckDestination(destination);
        digest.DoFinal(destination);
    }

    public byte[] GetHashAndReset()
    {
        var hash = new byte[HashLength];
        digest.DoFinal(hash);
        return hash;
    }

    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var hash = new byte[HashLength];
        Hash(data, hash);
        return hash;
    }

    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        CheckDestination(destination);
        var d = cached ??= new KeccakDigest(256);
        d.BlockUpdate(data);
        d.DoFinal(destination);
    }

    private static void CheckDestination(Span<byte> destination)
    {
        if (destination.Length < HashLength) throw new ArgumentException($"destination must hold {HashLength} bytes", nameof(destination));
    }
}
