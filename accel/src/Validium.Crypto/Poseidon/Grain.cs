namespace Validium.Crypto;

/// <summary>
/// The 80-bit Grain LFSR of the Poseidon paper (appendix F), as in the reference
/// generate_parameters_grain.sage: seeded with the instance description, clocked 160 times,
/// then used as a self-shrinking generator. Reproducing it bit for bit is what lets us derive
/// circomlib's round constants and MDS matrices instead of carrying them as opaque tables.
/// </summary>
internal sealed class Grain
{
    private const int StateBits = 80;

    // Circular buffer: state[(head + i) % 80] is bit i of the sage script's list.
    private readonly byte[] state = new byte[StateBits];
    private int head;

    /// <param name="field">1 for a prime field.</param>
    /// <param name="sbox">0 for x^alpha.</param>
    /// <param name="fieldBits">n, the bit length of the prime.</param>
    public Grain(int field, int sbox, int fieldBits, int width, int fullRounds, int partialRounds)
    {
        int pos = 0;
        void Put(int value, int bits)
        {
            for (int i = bits - 1; i >= 0; i--) state[pos++] = (byte)((value >> i) & 1);
        }
        Put(field, 2);
        Put(sbox, 4);
        Put(fieldBits, 12);
        Put(width, 12);
        Put(fullRounds, 10);
        Put(partialRounds, 10);
        while (pos < StateBits) state[pos++] = 1;
        for (int i = 0; i < 160; i++) Clock();
    }

    private int Clock()
    {
        int Bit(int i) => state[(head + i) % StateBits];
        int b = Bit(62) ^ Bit(51) ^ Bit(38) ^ Bit(23) ^ Bit(13) ^ Bit(0);
        state[head] = (byte)b;
        head = (head + 1) % StateBits;
        return b;
    }

    /// <summary>Self-shrinking output: clock pairs until the first bit is 1, emit the second.</summary>
    public int NextBit()
    {
        while (Clock() == 0) Clock();
        return Clock();
    }

    /// <summary>The next <paramref name="bits"/> (at most 256) output bits read as a big-endian integer.</summary>
    public Limbs4 NextInteger(int bits)
    {
        Span<ulong> limbs = [0, 0, 0, 0];
        for (int i = bits - 1; i >= 0; i--) limbs[i >> 6] |= (ulong)NextBit() << (i & 63);
        return new Limbs4(limbs[0], limbs[1], limbs[2], limbs[3]);
    }

    /// <summary>Round-constant sampling: draws of n bits are rejected until one is below the modulus.</summary>
    public Fr NextFieldElementRejecting(int bits)
    {
        while (true)
        {
            var v = NextInteger(bits);
            if (Mont<FrModulus>.IsCanonical(v)) return Fr.FromCanonical(v);
        }
    }

    /// <summary>MDS sampling: the sage script coerces the n-bit draw into the field, i.e. reduces it.</summary>
    public Fr NextFieldElementReduced(int bits) => Fr.FromBigInteger(NextInteger(bits).ToBigInteger());
}
