using System.Runtime.InteropServices;
using V = Validium.Crypto.FieldVec8<Validium.Crypto.FrModulus>;

namespace Validium.Crypto;

/// <summary>
/// EdDSA-Poseidon verification eight signatures at a time, one per <see cref="FieldVec8{TP}"/> lane, with exactly
/// <see cref="EdDsaVerifier"/>'s acceptance rule and an answer per signature (no probabilistic batch equation, so
/// nothing to bisect and no way for two bad signatures to cancel). Challenges are hashed by
/// <see cref="Poseidon.HashBatch"/>; range and on-curve checks run per signature before the lanes are filled.
/// <para>
/// Lanes cannot branch on their own digits, so the loop uses fixed windows: every lane doubles four times per
/// 4-bit window and adds one entry of its own table of 0..15 multiples of -8A (identity included), and on every
/// other window one entry of a static 256-entry table of multiples of B8 picked by a byte of S. Entries are read
/// per lane with <see cref="V.GatherScaled(ReadOnlySpan{Limbs4}, ReadOnlySpan{int})"/> and stored as
/// 32·value in Montgomery form, which that gather reads without a conversion multiply.
/// </para>
/// </summary>
internal static class EdDsaBatchVerifier
{
    private const int Lanes = V.Count;
    private const int Chunk = 64;
    private const int Windows = 63; // 4-bit windows cover 252 bits; both scalars are below l < 2^251
    private const int KeyEntries = 16;

    private static readonly V.Scalar C = new(MinusOneEdwards.C.MontgomeryLimbs);
    private static readonly V.Scalar D2 = new(MinusOneEdwards.D2.MontgomeryLimbs);

    /// <summary>d·B8 for d = 0..255 as (y + u, y - u, 2d'·u·y), three scaled entries per d.</summary>
    private static readonly Limbs4[] BaseTable = BuildBaseTable();

    public static void Verify(ReadOnlySpan<Fr> messages, ReadOnlySpan<EdDsaSignature> signatures, ReadOnlySpan<BabyJubjubPoint> keys, Span<bool> valid)
    {
        var buffers = new Buffers();
        for (int start = 0; start < messages.Length; start += Chunk)
        {
            int n = Math.Min(Chunk, messages.Length - start);
            VerifyChunk(messages.Slice(start, n), signatures.Slice(start, n), keys.Slice(start, n), valid.Slice(start, n), buffers);
        }
    }

    /// <summary>Per-chunk inputs, laid out for the gathers; reused across chunks.</summary>
    private sealed class Buffers
    {
        public readonly Fr[] HashInputs = new Fr[Chunk * 5];
        public readonly Fr[] Hashes = new Fr[Chunk];
        public readonly Limbs4[] Ax = new Limbs4[Chunk], Ay = new Limbs4[Chunk], Rx = new Limbs4[Chunk], Ry = new Limbs4[Chunk];
        public readonly Limbs4[] S = new Limbs4[Chunk], K = new Limbs4[Chunk];
        public readonly bool[] Checked = new bool[Chunk];
        public readonly Limbs4[] KeyTable = new Limbs4[KeyEntries * 4 * Lanes];
    }

    private static void VerifyChunk(ReadOnlySpan<Fr> messages, ReadOnlySpan<EdDsaSignature> signatures, ReadOnlySpan<BabyJubjubPoint> keys, Span<bool> valid, Buffers b)
    {
        int n = messages.Length;
        int padded = (n + Lanes - 1) / Lanes * Lanes;
        var filler = BabyJubjub.Base8;
        for (int i = 0; i < padded; i++)
        {
            var sig = i < n ? signatures[i] : default;
            bool ok = i < n && EdDsaVerifier.TryScalar(sig.S, out b.S[i]) && sig.R8.IsOnCurve && keys[i].IsOnCurve;
            b.Checked[i] = ok;
            // A lane that already failed still runs, on harmless inputs whose answer is discarded.
            var r8 = ok ? sig.R8 : filler;
            var a = ok ? keys[i] : filler;
            if (!ok) b.S[i] = default;
            var inputs = b.HashInputs.AsSpan(5 * i, 5);
            inputs[0] = r8.X; inputs[1] = r8.Y; inputs[2] = a.X; inputs[3] = a.Y; inputs[4] = ok ? messages[i] : Fr.Zero;
            b.Ax[i] = a.X.MontgomeryLimbs; b.Ay[i] = a.Y.MontgomeryLimbs;
            b.Rx[i] = r8.X.MontgomeryLimbs; b.Ry[i] = r8.Y.MontgomeryLimbs;
        }
        Poseidon.HashBatch(b.HashInputs.AsSpan(0, 5 * padded), 5, b.Hashes.AsSpan(0, padded));
        for (int i = 0; i < padded; i++) b.K[i] = EdDsaVerifier.ReduceModL(b.Hashes[i].ToCanonical());

        Span<bool> lanes = stackalloc bool[Lanes];
        for (int g = 0; g < padded; g += Lanes)
        {
            VerifyGroup(g, b, lanes);
            for (int e = 0; e < Lanes && g + e < n; e++) valid[g + e] = b.Checked[g + e] && lanes[e];
        }
    }

    /// <summary>Lanes g..g+7: S·B8 - k·(8A) computed per lane and compared with R8.</summary>
    private static void VerifyGroup(int g, Buffers b, Span<bool> result)
    {
        var one = V.Broadcast(Fr.One.MontgomeryLimbs);
        var ax = V.Mul(V.Gather(b.Ax, g, 1), C);
        var ay = V.Gather(b.Ay, g, 1);
        var a8 = Double(ToProjective(Double(ToProjective(Double(new VProjective(ax, ay, one)))))).ToExtended();
        FillKeyTable(new VExtended(V.Sub(default, a8.X), a8.Y, a8.Z, V.Sub(default, a8.T)), one, b.KeyTable);

        Span<byte> keyDigits = stackalloc byte[Lanes * Windows];
        for (int e = 0; e < Lanes; e++)
        {
            var k = b.K[g + e];
            for (int j = 0; j < Windows; j++) keyDigits[e * Windows + j] = (byte)((k[(4 * j) >> 6] >> ((4 * j) & 63)) & 0xf);
        }
        var sBytes = MemoryMarshal.AsBytes(b.S.AsSpan(g, Lanes));

        Span<int> index = stackalloc int[Lanes];
        var p = new VProjective(default, one, one);
        for (int j = Windows - 1; j >= 0; j--)
        {
            var e = j == Windows - 1 ? new VExtended(default, one, one, default) : Double(ToProjective(Double(ToProjective(Double(ToProjective(Double(p))))))).ToExtended();
            for (int l = 0; l < Lanes; l++) index[l] = keyDigits[l * Windows + j] * 4 * Lanes + l;
            var r = Add(e, GatherCached(b.KeyTable, index));
            if ((j & 1) == 0)
            {
                for (int l = 0; l < Lanes; l++) index[l] = sBytes[l * 32 + (j >> 1)] * 3;
                r = Add(r.ToExtended(), GatherNiels(index));
            }
            p = ToProjective(r);
        }

        var rx = V.Mul(V.Gather(b.Rx, g, 1), C);
        var ry = V.Gather(b.Ry, g, 1);
        Span<Fr> dx = stackalloc Fr[Lanes];
        Span<Fr> dy = stackalloc Fr[Lanes];
        FieldVec8.Store(V.Sub(p.X, V.Mul(rx, p.Z)), dx);
        FieldVec8.Store(V.Sub(p.Y, V.Mul(ry, p.Z)), dy);
        for (int l = 0; l < Lanes; l++) result[l] = dx[l].IsZero && dy[l].IsZero;
    }

    /// <summary>Entry d of lane e, coordinate c, at (4d + c)·8 + e: d·p in cached form for d = 0..15.</summary>
    private static void FillKeyTable(in VExtended p, in V one, Limbs4[] table)
    {
        StoreCached(new VExtended(default, one, one, default), 0, table);
        StoreCached(p, 1, table);
        var step = ToCached(p);
        var multiple = Double(new VProjective(p.X, p.Y, p.Z)).ToExtended();
        for (int d = 2; d < KeyEntries; d++)
        {
            StoreCached(multiple, d, table);
            if (d + 1 < KeyEntries) multiple = Add(multiple, step).ToExtended();
        }
    }

    private static void StoreCached(in VExtended p, int d, Limbs4[] table)
    {
        var c = ToCached(p);
        int at = d * 4 * Lanes;
        c.YPlusX.ScatterScaled(table, at, 1);
        c.YMinusX.ScatterScaled(table, at + Lanes, 1);
        c.Z.ScatterScaled(table, at + 2 * Lanes, 1);
        c.T2d.ScatterScaled(table, at + 3 * Lanes, 1);
    }

    private static VCached GatherCached(Limbs4[] table, Span<int> index)
    {
        var yPlusX = V.GatherScaled(table, index);
        Shift(index, Lanes);
        var yMinusX = V.GatherScaled(table, index);
        Shift(index, Lanes);
        var z = V.GatherScaled(table, index);
        Shift(index, Lanes);
        return new VCached(yPlusX, yMinusX, z, V.GatherScaled(table, index));
    }

    private static VNiels GatherNiels(Span<int> index)
    {
        var yPlusX = V.GatherScaled(BaseTable, index);
        Shift(index, 1);
        var yMinusX = V.GatherScaled(BaseTable, index);
        Shift(index, 1);
        return new VNiels(yPlusX, yMinusX, V.GatherScaled(BaseTable, index));
    }

    private static void Shift(Span<int> index, int by)
    {
        for (int l = 0; l < index.Length; l++) index[l] += by;
    }

    private static Limbs4[] BuildBaseTable()
    {
        var table = new Limbs4[256 * 3];
        var b8 = MinusOneEdwards.FromAffine(BabyJubjub.Base8).ToCached();
        var multiple = EdExtended.Identity;
        var thirtyTwo = Fr.FromUInt64(32);
        for (int d = 0; d < 256; d++)
        {
            var niels = EdNiels.FromProjective(multiple.ToProjective());
            table[3 * d] = (niels.YPlusX * thirtyTwo).MontgomeryLimbs;
            table[3 * d + 1] = (niels.YMinusX * thirtyTwo).MontgomeryLimbs;
            table[3 * d + 2] = (niels.XY2d * thirtyTwo).MontgomeryLimbs;
            multiple = MinusOneEdwards.Add(multiple, b8).ToExtended();
        }
        return table;
    }

    // The a = -1 formulas of MinusOneEdwards, lane-wise.

    private static VCompleted Double(in VProjective p)
    {
        var xx = V.Square(p.X);
        var yy = V.Square(p.Y);
        var zz = V.Square(p.Z);
        var xy2 = V.Square(V.Add(p.X, p.Y));
        var sum = V.Add(yy, xx);
        var diff = V.Sub(yy, xx);
        return new VCompleted(V.Sub(xy2, sum), sum, diff, V.Sub(V.Add(zz, zz), diff));
    }

    private static VCompleted Add(in VExtended p, in VCached q)
    {
        var a = V.Mul(V.Add(p.Y, p.X), q.YPlusX);
        var b = V.Mul(V.Sub(p.Y, p.X), q.YMinusX);
        var c = V.Mul(q.T2d, p.T);
        var zz = V.Mul(p.Z, q.Z);
        var d = V.Add(zz, zz);
        return new VCompleted(V.Sub(a, b), V.Add(a, b), V.Add(d, c), V.Sub(d, c));
    }

    private static VCompleted Add(in VExtended p, in VNiels q)
    {
        var a = V.Mul(V.Add(p.Y, p.X), q.YPlusX);
        var b = V.Mul(V.Sub(p.Y, p.X), q.YMinusX);
        var c = V.Mul(q.XY2d, p.T);
        var d = V.Add(p.Z, p.Z);
        return new VCompleted(V.Sub(a, b), V.Add(a, b), V.Add(d, c), V.Sub(d, c));
    }

    private static VProjective ToProjective(in VCompleted r) => new(V.Mul(r.X, r.T), V.Mul(r.Y, r.Z), V.Mul(r.Z, r.T));

    private static VCached ToCached(in VExtended p) => new(V.Add(p.Y, p.X), V.Sub(p.Y, p.X), p.Z, V.Mul(p.T, D2));

    private readonly struct VProjective(V x, V y, V z)
    {
        public readonly V X = x, Y = y, Z = z;
    }

    private readonly struct VExtended(V x, V y, V z, V t)
    {
        public readonly V X = x, Y = y, Z = z, T = t;
    }

    private readonly struct VCompleted(V x, V y, V z, V t)
    {
        public readonly V X = x, Y = y, Z = z, T = t;

        public VExtended ToExtended() => new(V.Mul(X, T), V.Mul(Y, Z), V.Mul(Z, T), V.Mul(X, Y));
    }

    private readonly struct VCached(V yPlusX, V yMinusX, V z, V t2d)
    {
        public readonly V YPlusX = yPlusX, YMinusX = yMinusX, Z = z, T2d = t2d;
    }

    private readonly struct VNiels(V yPlusX, V yMinusX, V xy2d)
    {
        public readonly V YPlusX = yPlusX, YMinusX = yMinusX, XY2d = xy2d;
    }
}
