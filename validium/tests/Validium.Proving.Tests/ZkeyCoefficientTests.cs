using System.Buffers.Binary;
using System.Numerics;
using Validium.Crypto;
using Validium.Proving.Formats;
using Validium.Proving.Groth16;

namespace Validium.Proving.Tests;

/// <summary>
/// Section 4 is decoded in chunks on several threads; these lists span several chunks so the merge of the
/// chunks' value tables and the choice of the first bad entry are exercised.
/// </summary>
public class ZkeyCoefficientTests
{
    private const int Entries = 50_000;
    private const int EntrySize = 44;
    private static readonly ProvingKey Fixture = ZkeyFormat.Read(Fixtures.Bytes("circuit.zkey"), "circuit.zkey");

    /// <summary>R⁻² mod r with R = 2^256: snarkjs stores c as c·R² read back as a plain little-endian integer.</summary>
    private static readonly BigInteger InverseR2 = BigInteger.ModPow(BigInteger.Pow(2, 512), Fr.Modulus - 2, Fr.Modulus);

    private static (ProvingKey Key, QapCoefficient[] Entries) KeyWithManyCoefficients(int seed)
    {
        var rng = new Random(seed);
        var values = new List<Fr> { Fr.Zero, Fr.One, -Fr.One };
        for (int i = 0; i < 300; i++) values.Add(Fr.Random(rng));
        var entries = new QapCoefficient[Entries];
        var rowAndMatrix = new int[Entries];
        var signals = new int[Entries];
        var ids = new int[Entries];
        for (int i = 0; i < Entries; i++)
        {
            int id = rng.Next(values.Count);
            entries[i] = new QapCoefficient(rng.Next(2), rng.Next(Fixture.DomainSize), rng.Next(Fixture.NumVars), values[id]);
            (rowAndMatrix[i], signals[i], ids[i]) = (QapMatrix.Pack(entries[i].Matrix, entries[i].Constraint), entries[i].Signal, id);
        }
        return (Fixture with { Coefficients = new QapMatrix(rowAndMatrix, signals, ids, [.. values]) }, entries);
    }

    [Fact]
    public void ManyCoefficientsReadBackInOrderAndMatchTheStoredBytes()
    {
        var (key, entries) = KeyWithManyCoefficients(7);
        var bytes = ZkeyFormat.Write(key);
        var read = ZkeyFormat.Read(bytes, "many.zkey").Coefficients;
        Assert.Equal(entries, read.ToArray());

        // The stored form, decoded here with BigInteger rather than by the reader's Montgomery code.
        int at = Section4(bytes) + 4;
        for (int i = 0; i < Entries; i += 997)
        {
            var item = bytes.AsSpan(at + i * EntrySize, EntrySize);
            Assert.Equal((uint)entries[i].Matrix, BinaryPrimitives.ReadUInt32LittleEndian(item));
            Assert.Equal((uint)entries[i].Constraint, BinaryPrimitives.ReadUInt32LittleEndian(item[4..]));
            Assert.Equal((uint)entries[i].Signal, BinaryPrimitives.ReadUInt32LittleEndian(item[8..]));
            var stored = new BigInteger(item[12..], isUnsigned: true, isBigEndian: false);
            Assert.Equal(entries[i].Value.ToBigInteger(), stored * InverseR2 % Fr.Modulus);
        }
    }

    [Fact]
    public void TheFirstBadEntryIsNamedWhicheverChunkFindsOneFirst()
    {
        var bytes = ZkeyFormat.Write(KeyWithManyCoefficients(8).Key);
        int at = Section4(bytes) + 4;

        var data = (byte[])bytes.Clone();
        data.AsSpan(at + 45_000 * EntrySize + 12, 32).Fill(0xff);
        Assert.Contains("section 4 (coefficients): coefficient 45000 value is not below the scalar field prime",
            Assert.Throws<FormatException>(() => ZkeyFormat.Read(data, "bad.zkey")).Message);

        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at + 20_001 * EntrySize + 8), (uint)Fixture.NumVars);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at + 20_000 * EntrySize + 4), (uint)Fixture.DomainSize);
        Assert.Contains("section 4 (coefficients): coefficient 20000 is in constraint 256, beyond domainSize 256",
            Assert.Throws<FormatException>(() => ZkeyFormat.Read(data, "bad.zkey")).Message);

        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at + 3 * EntrySize), 2);
        Assert.Contains("section 4 (coefficients): coefficient 3 names matrix 2",
            Assert.Throws<FormatException>(() => ZkeyFormat.Read(data, "bad.zkey")).Message);
    }

    private static int Section4(byte[] data)
    {
        int pos = 12;
        while (BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(pos)) != 4)
            pos += 12 + (int)BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(pos + 4));
        return pos + 12;
    }
}
