namespace Validium.Crypto;

/// <summary>
/// The batch data commitment: a Poseidon sponge over field words, the value the batch circuit commits to and
/// the data-availability committee recomputes from the bytes it stores. acc = the word count, then
/// acc = Poseidon(acc, next fifteen words) until the words run out, the last group zero-padded. Starting from
/// the count keeps [w…] and [w…, 0] apart, which the zero padding alone would not.
/// </summary>
public static class PoseidonSponge
{
    /// <summary>Words absorbed per step: Poseidon's widest instance takes the running value plus fifteen.</summary>
    public const int Rate = Poseidon.MaxInputs - 1;

    public const int WordBytes = 32;

    public static Fr Commit(ReadOnlySpan<Fr> words)
    {
        var acc = Fr.FromUInt64((ulong)words.Length);
        // Not a stackalloc'd span cleared with Span.Clear: .NET 10.0.12's JIT left the second block's words stale
        // in exactly that shape (a manual loop or a heap array is correct; PoseidonSpongeTests catches it).
        var inputs = new Fr[Rate + 1];
        for (int k = 0; k < words.Length; k += Rate)
        {
            Array.Clear(inputs);
            inputs[0] = acc;
            for (int j = 0; j < Rate && k + j < words.Length; j++) inputs[1 + j] = words[k + j];
            acc = Poseidon.Hash(inputs);
        }
        return acc;
    }

    /// <summary>The stored form: each word as 32 big-endian bytes.</summary>
    public static byte[] ToBytes(ReadOnlySpan<Fr> words)
    {
        var bytes = new byte[WordBytes * words.Length];
        for (int i = 0; i < words.Length; i++) words[i].WriteBigEndian(bytes.AsSpan(WordBytes * i, WordBytes));
        return bytes;
    }

    /// <summary>Words from stored bytes; a length that is not whole words, or a word not below r, is a FormatException naming it.</summary>
    public static Fr[] FromBytes(ReadOnlySpan<byte> data)
    {
        if (data.Length % WordBytes != 0) throw new FormatException($"batch data is {data.Length} bytes, not a whole number of {WordBytes}-byte words");
        var words = new Fr[data.Length / WordBytes];
        for (int i = 0; i < words.Length; i++)
        {
            var limbs = Limbs4.ReadBigEndian(data.Slice(WordBytes * i, WordBytes));
            if (!Mont<FrModulus>.IsCanonical(limbs)) throw new FormatException($"batch data word {i} is not below the field modulus");
            words[i] = Fr.FromCanonical(limbs);
        }
        return words;
    }

    public static Fr CommitBytes(ReadOnlySpan<byte> data) => Commit(FromBytes(data));
}
