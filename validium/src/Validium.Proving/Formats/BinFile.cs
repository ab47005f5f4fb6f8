using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using Validium.Crypto;

namespace Validium.Proving.Formats;

/// <summary>
/// The iden3 "binfile" container shared by .r1cs, .wtns, .zkey and .ptau: a 4-byte magic, a u32 version, a u32
/// section count, then sections of (u32 type, u64 size, payload). Readers look sections up by type because the
/// writers (circom, snarkjs) do not all emit them in type order.
/// </summary>
internal sealed class BinFileReader
{
    private readonly BinSource source;
    private readonly Dictionary<int, (long Offset, long Length)> sections = [];

    public string FileName { get; }

    public BinFileReader(byte[] data, string fileName, string magic, uint version) : this(BinSource.Of(data), fileName, magic, version)
    {
    }

    /// <summary>Reads the header and the section table only; sections are read when asked for.</summary>
    public BinFileReader(BinSource source, string fileName, string magic, uint version)
    {
        this.source = source;
        FileName = fileName;
        long length = source.Length;
        if (length < 12) throw Error("file header", $"{length} bytes is too short for a binfile header");
        Span<byte> head = stackalloc byte[12];
        source.Read(0, head);
        var actualMagic = Encoding.ASCII.GetString(head[..4]);
        if (actualMagic != magic) throw Error("file header", $"magic is '{Printable(actualMagic)}', expected '{magic}'");
        var actualVersion = BinaryPrimitives.ReadUInt32LittleEndian(head[4..]);
        if (actualVersion != version) throw Error("file header", $"version {actualVersion}, expected {version}");
        var count = BinaryPrimitives.ReadUInt32LittleEndian(head[8..]);
        long pos = 12;
        for (uint i = 0; i < count; i++)
        {
            if (length - pos < 12) throw Error("section table", $"section {i + 1} of {count} starts past the end of the file");
            source.Read(pos, head);
            var type = BinaryPrimitives.ReadUInt32LittleEndian(head);
            var size = BinaryPrimitives.ReadUInt64LittleEndian(head[4..]);
            pos += 12;
            if (size > (ulong)(length - pos))
                throw Error($"section {type}", $"declares {size} bytes but only {length - pos} remain in the file");
            if (type > int.MaxValue || !sections.TryAdd((int)type, (pos, (long)size)))
                throw Error($"section {type}", "appears more than once");
            pos += (long)size;
        }
        if (pos != length) throw Error("section table", $"{length - pos} bytes follow the last section");
    }

    public bool Has(int type) => sections.ContainsKey(type);

    /// <summary>A section that holds exactly count G1 points (64 bytes each, Montgomery little-endian).</summary>
    public G1Affine[] G1Section(int type, string name, long count) => G1Points(Points(type, name, count, 64, "G1"));

    /// <summary>A section that holds exactly count G2 points (128 bytes each).</summary>
    public G2Affine[] G2Section(int type, string name, long count) => G2Points(Points(type, name, count, 128, "G2"));

    /// <summary>Where a point section lies, once its presence and size are checked; its points are read by G1Points or G2Points.</summary>
    public readonly record struct PointSection(long Offset, int Count, string Where, string Name);

    public PointSection Points(int type, string name, long count, int size, string group)
    {
        var where = $"section {type} ({name})";
        if (!sections.TryGetValue(type, out var s)) throw Error(where, "is missing");
        if (s.Length != count * size) throw Error(where, $"is {s.Length} bytes, {count} {group} points needs {count * size}");
        if (count > Array.MaxLength) throw Error(where, $"{count} points are more than an array holds");
        return new PointSection(s.Offset, (int)count, where, name);
    }

    public G1Affine[] G1Points(PointSection s) => ReadChecked<G1Affine>(s, 64,
        static p => Canonical(p.X) && Canonical(p.Y) ? p.IsOnCurve() ? null : "is not on the BN254 curve" : "is not below the base field prime");

    public G2Affine[] G2Points(PointSection s) => ReadChecked<G2Affine>(s, 128,
        static p => Canonical(p.X.C0) && Canonical(p.X.C1) && Canonical(p.Y.C0) && Canonical(p.Y.C1)
            ? p.IsOnCurve() ? null : "is not on the BN254 twist" : "is not below the base field prime");

    private static bool Canonical(Fp x) => Mont<FpModulus>.IsCanonical(x.MontgomeryLimbs);

    private const int PointChunk = 4096;

    /// <summary>
    /// The LEM layout ("x then y, Montgomery little-endian; all zeros is infinity") is the in-memory layout of the
    /// point structs, so each chunk of points is read straight into the array and then checked, chunks in parallel
    /// (the reads, the first touch of the array's pages and the curve checks alike). The first bad point is reported
    /// by index; its message is only made when there is one (a string per point had cost more than the checks).
    /// Only the curve equation is checked for G2: a subgroup check per point would dominate reading a ptau.
    /// </summary>
    private T[] ReadChecked<T>(PointSection s, int size, Func<T, string?> check) where T : unmanaged
    {
        var items = GC.AllocateUninitializedArray<T>(s.Count);
        int first = int.MaxValue;
        string? problem = null;
        var gate = new object();
        Parallel.For(0, (items.Length + PointChunk - 1) / PointChunk, chunk =>
        {
            int start = chunk * PointChunk, end = Math.Min(items.Length, start + PointChunk);
            source.Read(s.Offset + (long)start * size, MemoryMarshal.AsBytes(items.AsSpan(start, end - start)));
            for (int i = start; i < end && i < Volatile.Read(ref first); i++)
            {
                if (check(items[i]) is not { } p) continue;
                lock (gate)
                {
                    if (i < first) (first, problem) = (i, p);
                }
                return;
            }
        });
        if (problem is not null) throw Error(s.Where, $"{s.Name}[{first}] {problem}");
        return items;
    }

    public SectionReader Section(int type, string name)
    {
        var where = $"section {type} ({name})";
        if (!sections.TryGetValue(type, out var s)) throw Error(where, "is missing");
        if (s.Length > Array.MaxLength) throw Error(where, $"{s.Length} bytes are more than an array holds");
        return new SectionReader(source.Memory(s.Offset, (int)s.Length), FileName, where);
    }

    private FormatException Error(string where, string what) => new($"{FileName}: {where}: {what}");

    private static string Printable(string s) => new(s.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
}

/// <summary>A cursor over one section; every read is bounds-checked so a short section is a FormatException naming it.</summary>
internal sealed class SectionReader(ReadOnlyMemory<byte> payload, string fileName, string section)
{
    private int pos;

    public int Length => payload.Length;
    public int Remaining => payload.Length - pos;

    public FormatException Error(string what) => new($"{fileName}: {section}: {what}");

    private ReadOnlySpan<byte> Take(int n, string what)
    {
        if (n < 0 || Remaining < n) throw Error($"ends while reading {what} ({Remaining} bytes left, {n} needed)");
        var s = payload.Span.Slice(pos, n);
        pos += n;
        return s;
    }

    public uint U32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, what));

    public ulong U64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));

    /// <summary>A u32 count that has to fit an int and the bytes left, so a corrupt count cannot ask for gigabytes.</summary>
    public int Count(string what, int bytesPerItem)
    {
        var n = U32(what);
        if (n > int.MaxValue || (long)n * bytesPerItem > Remaining) throw Error($"{what} is {n} but only {Remaining} bytes remain");
        return (int)n;
    }

    public byte[] Bytes(int n, string what) => Take(n, what).ToArray();

    /// <summary>The next n bytes without copying them, for decoders that split a large section across threads.</summary>
    public ReadOnlyMemory<byte> Slice(int n, string what)
    {
        Take(n, what);
        return payload.Slice(pos - n, n);
    }

    public byte[] Rest() => Take(Remaining, "the rest").ToArray();

    /// <summary>A field size n8 followed by the prime in n8 little-endian bytes; must be the expected BN254 prime.</summary>
    public void Prime(BigInteger expected, string fieldName)
    {
        var n8 = U32($"{fieldName} size");
        if (n8 != 32) throw Error($"{fieldName} size is {n8} bytes, BN254 needs 32");
        var p = new BigInteger(Take(32, $"{fieldName} prime"), isUnsigned: true, isBigEndian: false);
        if (p != expected) throw Error($"{fieldName} prime is {p}, not BN254's {expected}");
    }

    public Fr FrCanonical(string what)
    {
        var limbs = Limbs4.ReadLittleEndian(Take(32, what));
        try { return Fr.FromCanonical(limbs); }
        catch (ArgumentOutOfRangeException) { throw Error($"{what} is not below the scalar field prime"); }
    }

    public Fr FrMontgomery(string what)
    {
        var limbs = Limbs4.ReadLittleEndian(Take(32, what));
        try { return Fr.FromMontgomery(limbs); }
        catch (ArgumentOutOfRangeException) { throw Error($"{what} is not below the scalar field prime"); }
    }

    private Fp FpMontgomery(string what)
    {
        var limbs = Limbs4.ReadLittleEndian(Take(32, what));
        try { return Fp.FromMontgomery(limbs); }
        catch (ArgumentOutOfRangeException) { throw Error($"{what} is not below the base field prime"); }
    }

    /// <summary>snarkjs's "LEM" point layout: x then y, Montgomery little-endian; all zeros is infinity.</summary>
    public G1Affine G1(string what)
    {
        var p = new G1Affine(FpMontgomery(what), FpMontgomery(what));
        if (!p.IsOnCurve()) throw Error($"{what} is not on the BN254 curve");
        return p;
    }

    /// <summary>x.c0, x.c1, y.c0, y.c1. Only the twist equation is checked: a subgroup check per point would dominate reading a ptau.</summary>
    public G2Affine G2(string what)
    {
        var x = new Fp2(FpMontgomery(what), FpMontgomery(what));
        var p = new G2Affine(x, new Fp2(FpMontgomery(what), FpMontgomery(what)));
        if (!p.IsOnCurve()) throw Error($"{what} is not on the BN254 twist");
        return p;
    }

    /// <summary>Sections with a fixed layout must be consumed exactly; leftovers mean the size field or the counts are wrong.</summary>
    public void End()
    {
        if (Remaining != 0) throw Error($"{Remaining} unexpected bytes at the end of the section (size {Length})");
    }

    /// <summary>Checks the section size before reading a fixed-size array, so the message names the mismatch rather than a short read.</summary>
    public void ExpectLength(long expected, string what)
    {
        if (Length != expected) throw Error($"is {Length} bytes, {what} needs {expected}");
    }
}

/// <summary>Builds a binfile in memory; sections are written in the order they are added.</summary>
internal sealed class BinFileWriter
{
    private readonly List<(uint Type, byte[] Payload)> sections = [];
    private readonly string magic;
    private readonly uint version;

    public BinFileWriter(string magic, uint version)
    {
        this.magic = magic;
        this.version = version;
    }

    public void Add(uint type, SectionWriter payload) => sections.Add((type, payload.ToArray()));

    public byte[] ToArray()
    {
        var w = new SectionWriter();
        w.Raw(Encoding.ASCII.GetBytes(magic));
        w.U32(version);
        w.U32((uint)sections.Count);
        foreach (var (type, payload) in sections)
        {
            w.U32(type);
            w.U64((ulong)payload.Length);
            w.Raw(payload);
        }
        return w.ToArray();
    }
}

internal sealed class SectionWriter
{
    private readonly MemoryStream buffer = new();

    public byte[] ToArray() => buffer.ToArray();

    public void Raw(ReadOnlySpan<byte> bytes) => buffer.Write(bytes);

    public void U32(uint v)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        buffer.Write(b);
    }

    public void U64(ulong v)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, v);
        buffer.Write(b);
    }

    public void Prime(BigInteger p)
    {
        U32(32);
        Span<byte> b = stackalloc byte[32];
        p.TryWriteBytes(b, out _, isUnsigned: true, isBigEndian: false);
        buffer.Write(b);
    }

    public void FrCanonical(Fr v)
    {
        Span<byte> b = stackalloc byte[32];
        v.ToCanonical().WriteLittleEndian(b);
        buffer.Write(b);
    }

    public void FrMontgomery(Fr v)
    {
        Span<byte> b = stackalloc byte[32];
        v.WriteLittleEndianMontgomery(b);
        buffer.Write(b);
    }

    private void Fp(Fp v)
    {
        Span<byte> b = stackalloc byte[32];
        v.WriteLittleEndianMontgomery(b);
        buffer.Write(b);
    }

    public void G1(G1Affine p)
    {
        Fp(p.X);
        Fp(p.Y);
    }

    public void G2(G2Affine p)
    {
        Fp(p.X.C0);
        Fp(p.X.C1);
        Fp(p.Y.C0);
        Fp(p.Y.C1);
    }
}
