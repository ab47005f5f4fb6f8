using System.Buffers.Binary;
using Validium.Crypto;
using Validium.Proving.Groth16;

namespace Validium.Proving.Formats;

/// <summary>
/// Decodes a zkey's section 4 (the A and B coefficient list) on every core. A 2^18 key holds a million entries
/// but only a few thousand distinct values, so each chunk of entries is checked and collects its distinct stored
/// values on its own thread; only those are converted and merged, in chunk order, into the key's value table
/// (which so comes out in first-seen order, as one pass would make it), and the ids are then remapped in parallel.
/// </summary>
internal static class ZkeyCoefficients
{
    private const int Chunk = 16384;

    public static QapMatrix Decode(SectionReader section, ReadOnlyMemory<byte> raw, int count, uint nVars, uint domainSize)
    {
        var rowAndMatrix = GC.AllocateUninitializedArray<int>(count);
        var signals = GC.AllocateUninitializedArray<int>(count);
        var valueIds = GC.AllocateUninitializedArray<int>(count);
        int chunks = (count + Chunk - 1) / Chunk;
        var distinct = new List<Limbs4>[chunks];
        var firstBad = new string?[chunks];
        Parallel.For(0, chunks, k => firstBad[k] = DecodeChunk(raw.Span, k * Chunk, Math.Min(count, (k + 1) * Chunk),
            nVars, domainSize, rowAndMatrix, signals, valueIds, distinct[k] = []));
        // Chunks stop at their first bad entry, so the lowest chunk with one names the file's first.
        if (firstBad.FirstOrDefault(m => m is not null) is { } problem) throw section.Error(problem);

        var index = new Dictionary<Fr, int>();
        var table = new List<Fr>();
        var toTable = new int[chunks][];
        for (int k = 0; k < chunks; k++)
        {
            toTable[k] = new int[distinct[k].Count];
            for (int j = 0; j < toTable[k].Length; j++)
            {
                var value = FromDoubleMontgomery(Fr.FromMontgomery(distinct[k][j]));
                if (!index.TryGetValue(value, out int id))
                {
                    id = table.Count;
                    index.Add(value, id);
                    table.Add(value);
                }
                toTable[k][j] = id;
            }
        }
        Parallel.For(0, chunks, k =>
        {
            var map = toTable[k];
            for (int i = k * Chunk, end = Math.Min(count, (k + 1) * Chunk); i < end; i++) valueIds[i] = map[valueIds[i]];
        });
        return new QapMatrix(rowAndMatrix, signals, valueIds, [.. table]);
    }

    /// <summary>Entries start..end: fields into the arrays, values as ids into this chunk's distinct list; the first bad entry's message, if any.</summary>
    private static string? DecodeChunk(ReadOnlySpan<byte> raw, int start, int end, uint nVars, uint domainSize,
        int[] rowAndMatrix, int[] signals, int[] valueIds, List<Limbs4> distinct)
    {
        var seen = new Dictionary<Limbs4, int>();
        for (int i = start; i < end; i++)
        {
            var item = raw.Slice(i * ZkeyFormat.CoefficientSize, ZkeyFormat.CoefficientSize);
            var matrix = BinaryPrimitives.ReadUInt32LittleEndian(item);
            var constraint = BinaryPrimitives.ReadUInt32LittleEndian(item[4..]);
            var signal = BinaryPrimitives.ReadUInt32LittleEndian(item[8..]);
            var value = Limbs4.ReadLittleEndian(item[12..]);
            if (matrix > 1) return $"coefficient {i} names matrix {matrix}; only A (0) and B (1) are stored";
            if (constraint >= domainSize) return $"coefficient {i} is in constraint {constraint}, beyond domainSize {domainSize}";
            if (signal >= nVars) return $"coefficient {i} refers to signal {signal} of {nVars}";
            if (!seen.TryGetValue(value, out int id))
            {
                // Equal bytes decode equally, so a value is checked where it first appears in the chunk.
                if (!Mont<FrModulus>.IsCanonical(value)) return $"coefficient {i} value is not below the scalar field prime";
                id = distinct.Count;
                seen.Add(value, id);
                distinct.Add(value);
            }
            rowAndMatrix[i] = QapMatrix.Pack((int)matrix, (int)constraint);
            signals[i] = (int)signal;
            valueIds[i] = id;
        }
        return null;
    }

    /// <summary>
    /// snarkjs stores section-4 coefficients as c·R² (zkey_new.js multiplies by R2r and then writes the plain
    /// representation), so decoding the bytes as one Montgomery number yields c·R, and one more Montgomery
    /// reduction yields c. Its prover relies on this to multiply witness values without converting them.
    /// </summary>
    private static Fr FromDoubleMontgomery(Fr stored) => Fr.FromMontgomery(stored.ToCanonical());
}
