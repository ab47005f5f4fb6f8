using System.Numerics;
using System.Text;
using Validium.Crypto;
using Validium.L1.Abi;

namespace Validium.L1.Tests;

/// <summary>Random ABI types (nested arrays and tuples included) and random values of them, reproducible from a seed.</summary>
internal static class AbiRandom
{
    public static AbiType Type(Random rng, int depth = 0)
    {
        int pick = rng.Next(depth >= 2 ? 8 : 11);
        return pick switch
        {
            0 => new AbiUInt(8 * (1 + rng.Next(32))),
            1 => new AbiInt(8 * (1 + rng.Next(32))),
            2 => AbiAddress.Instance,
            3 => AbiBool.Instance,
            4 => new AbiFixedBytes(1 + rng.Next(32)),
            5 => AbiBytes.Instance,
            6 => AbiString.Instance,
            7 => rng.Next(2) == 0 ? new AbiUInt(256) : new AbiInt(256),
            8 => new AbiArray(Type(rng, depth + 1), null),
            9 => new AbiArray(Type(rng, depth + 1), 1 + rng.Next(3)),
            _ => new AbiTuple(Enumerable.Range(0, 1 + rng.Next(4)).Select(i => new AbiParameter($"f{i}", Type(rng, depth + 1))).ToArray()),
        };
    }

    public static object? Value(Random rng, AbiType type) => type switch
    {
        AbiUInt u => Edge(rng, BigInteger.Zero, (BigInteger.One << u.Bits) - 1),
        AbiInt s => Edge(rng, -(BigInteger.One << (s.Bits - 1)), (BigInteger.One << (s.Bits - 1)) - 1),
        AbiAddress => EthereumAddress.FromBytes(Bytes(rng, 20)),
        AbiBool => rng.Next(2) == 1,
        AbiFixedBytes f => Bytes(rng, f.Size),
        AbiBytes => Bytes(rng, rng.Next(4) == 0 ? 0 : rng.Next(100)),
        AbiString => Text(rng),
        AbiArray a => Enumerable.Range(0, a.Length ?? rng.Next(4)).Select(_ => Value(rng, a.Element)).ToArray(),
        AbiTuple t => t.Components.Select(c => Value(rng, c.Type)).ToArray(),
        _ => throw new ArgumentException(type.ToString()),
    };

    /// <summary>Bounds, their neighbours, zero and ±1 come up often: they are where encoders go wrong.</summary>
    private static BigInteger Edge(Random rng, BigInteger min, BigInteger max)
    {
        switch (rng.Next(8))
        {
            case 0: return min;
            case 1: return max;
            case 2: return BigInteger.Zero;
            case 3: return min.IsZero ? BigInteger.One : BigInteger.MinusOne;
            case 4: return max - 1;
        }
        var span = max - min + 1;
        var bytes = Bytes(rng, span.GetByteCount() + 1);
        bytes[^1] = 0;
        return min + new BigInteger(bytes) % span;
    }

    private static string Text(Random rng)
    {
        string[] pieces = ["a", "Z", "0", " ", "é", "€", "𝄞", "日本", "\"", "\\", "\n"];
        var sb = new StringBuilder();
        int n = rng.Next(4) == 0 ? 0 : rng.Next(40);
        for (int i = 0; i < n; i++) sb.Append(pieces[rng.Next(pieces.Length)]);
        return sb.ToString();
    }

    private static byte[] Bytes(Random rng, int n)
    {
        var b = new byte[n];
        rng.NextBytes(b);
        return b;
    }
}
