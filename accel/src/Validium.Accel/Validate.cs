namespace Validium.Accel;

/// <summary>Argument checks every backend shares, so a malformed call fails the same way on every device.</summary>
public static class Validate
{
    public static void PoseidonBatch(int inputLength, int arity, int outputLength)
    {
        if (arity is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(arity), $"Poseidon takes 1..16 inputs, got arity {arity}");
        if ((long)outputLength * arity != inputLength)
            throw new ArgumentException($"{outputLength} hashes of arity {arity} need {(long)outputLength * arity} inputs, got {inputLength}");
    }

    public static void KeccakBatch(int dataLength, ReadOnlySpan<int> offsets, int digestLength)
    {
        if (offsets.Length == 0) throw new ArgumentException("offsets must hold at least the start offset 0");
        int count = offsets.Length - 1;
        if ((long)count * 32 != digestLength) throw new ArgumentException($"{count} messages need {(long)count * 32} digest bytes, got {digestLength}");
        if (offsets[0] != 0) throw new ArgumentException("offsets must start at 0");
        for (int i = 0; i < count; i++)
        {
            if (offsets[i + 1] < offsets[i]) throw new ArgumentException($"offsets must not decrease (offset {i + 1} is {offsets[i + 1]}, before it {offsets[i]})");
        }
        if (offsets[count] > dataLength) throw new ArgumentException($"last offset {offsets[count]} is past the data ({dataLength} bytes)");
    }

    public static void Msm(int points, int scalars)
    {
        if (points != scalars) throw new ArgumentException($"MSM needs one scalar per point: {points} points, {scalars} scalars");
    }

    public static int NttLog(int length)
    {
        if (length <= 0 || (length & (length - 1)) != 0) throw new ArgumentException($"NTT length must be a power of two, got {length}");
        return System.Numerics.BitOperations.Log2((uint)length);
    }
}
