using System.Runtime.CompilerServices;
using V = Validium.Crypto.FieldVec8<Validium.Crypto.FrModulus>;

namespace Validium.Crypto;

/// <summary>
/// EdDSA-Poseidon verification eight signatures at a time, one per <see cref="FieldVec8{TP}"/> lane, with exactly
/// <see cref="EdDsaVerifier"/>'s acceptance rule and an answer per signature (no probabilistic batch equation, so
/// nothing to bisect and no way for two bad signatures to cancel). Challenges are hashed by
/// <see cref="Poseidon.HashBatch"/>; range and on-curve checks run per signature before the lanes are filled.
/// <para>
/// Lanes cannot branch on their own digits, so the loop uses fixed windows: every lane doubles five times per
/// 5-bit window and adds one entry of its own table of 0..16 multiples of -8A (identity included), negated in the
/// lanes whose signed digit (-16..15) is negative; on every other window it adds one entry of a static table of
/// 0..1023 multiples of B8 picked by ten bits of S (98 KB, so the lookups stay in L2). Entries are read
/// per lane with <see cref="V.GatherScaled(ReadOnlySpan{Limbs4}, ReadOnlySpan{int})"/> and stored as
/// 32·value in Montgomery form, which that gather reads without a conversion multiply.
/// </para>
/// </summary>
internal static class EdDsaBatchVerifier
{
    private const int Lanes = V.Count;
    private const int Chunk = 64;
    private const int KeyBits = 5;
    private const int Windows = 51; // 5-bit windows cover 255 bits; both scalars are below l < 2^251
    private const int KeyEntries = 17;
    private const int BaseBits = 2 * KeyBits;
    private const int BaseEntries = 1 << BaseBits;

    private static readonly V.Scalar C = new(MinusOneEdwards.C.MontgomeryLimbs);
    private static readonly V.Scalar D2 = new(MinusOneEdwards.D2.MontgomeryLimbs);

    /// <summary>d·B8 for d = 0..1023 as (y + u, y - u, 2d'·u·y), three scaled entries per d.</summary>
    private static readonly Limbs4[] BaseTable = BuildBaseTable();

    public static void Verify(ReadOnlySpan<Fr> messages, ReadOnlySpan<EdDsaSignature> signatures, ReadOnlySpan<BabyJubjubPoint> keys, Span<bool> valid)
    {
        var buffers = threadBuffers ??= new Buffers();
        for (int start = 0; start < messages.Length; start += Chunk)
        {
            int n = Math.Min(Chunk, messages.Length - start);
            VerifyChunk(messages.Slice(start, n), signatures.Slice(start, n), keys.Slice(start, n), valid.Slice(start, n), buffers);
        }
    }

    /// <summary>One set per thread: an intake loop calling once per few dozen signatures allocates nothing after its first call.</summary>
    [ThreadStatic]
    private static Buffers? threadBuffers;

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

    /// <summary>
    /// Lanes g..g+7: S·B8 - k·(8A) computed per lane and compared with R8. The window loop keeps every coordinate in
    /// its own local (the formulas of <see cref="MinusOneEdwards"/> written out): a 576-byte vector returned into a
    /// local is written in place, where one stored into a point struct costs a copy, and copies took a sixth of the time.
    /// </summary>
    [SkipLocalsInit]
    private static void VerifyGroup(int g, Buffers b, Span<bool> result)
    {
        var one = V.Broadcast(Fr.One.MontgomeryLimbs);
        var ax = V.Mul(V.Gather(b.Ax, g, 1), C);
        var ay = V.Gather(b.Ay, g, 1);
        var a8 = Double(ToProjective(Double(ToProjective(Double(new VProjective(ax, ay, one)))))).ToExtended();
        FillKeyTable(new VExtended(V.Sub(default, a8.X), a8.Y, a8.Z, V.Sub(default, a8.T)), one, b.KeyTable);

        Span<sbyte> keyDigits = stackalloc sbyte[Lanes * Windows];
        for (int e = 0; e < Lanes; e++) SignedDigits(b.K[g + e], keyDigits.Slice(e * Windows, Windows));
        var keyTable = b.KeyTable;
        var baseTable = BaseTable;

        Span<int> index = stackalloc int[Lanes];
        V px = default, py = one, pz = one;
        V ex = default, ey = one, ez = one, et = default;
        for (int j = Windows - 1; j >= 0; j--)
        {
            // Five doublings from projective into the completed form (x = cx/cz, y = cy/ct); the last one leaves
            // extended coordinates for the additions. The top window starts from the identity instead.
            for (int d = 0; d < KeyBits && j < Windows - 1; d++)
            {
                var xx = V.Square(px);
                var yy = V.Square(py);
                var zz = V.Square(pz);
                var xy2 = V.Square(V.Add(px, py));
                var cy = V.Add(yy, xx);
                var cz = V.Sub(yy, xx);
                var cx = V.Sub(xy2, cy);
                var ct = V.Sub(V.Add(zz, zz), cz);
                if (d < KeyBits - 1)
                {
                    px = V.Mul(cx, ct);
                    py = V.Mul(cy, cz);
                    pz = V.Mul(cz, ct);
                }
                else
                {
                    ex = V.Mul(cx, ct);
                    ey = V.Mul(cy, cz);
                    ez = V.Mul(cz, ct);
                    et = V.Mul(cx, cy);
                }
            }

            // Plus this lane's multiple of -8A, a cached point (Y + X, Y - X, Z, 2d'T), negated where the digit is:
            // -(x, y) = (-x, y) swaps Y + X with Y - X and negates T.
            byte negative = 0;
            for (int l = 0; l < Lanes; l++)
            {
                int digit = keyDigits[l * Windows + j];
                if (digit < 0) negative |= (byte)(1 << l);
                index[l] = Math.Abs(digit) * 4 * Lanes + l;
            }
            var tPlus = V.GatherScaled(keyTable, index);
            Shift(index, Lanes);
            var tMinus = V.GatherScaled(keyTable, index);
            Shift(index, Lanes);
            var qz = V.GatherScaled(keyTable, index);
            Shift(index, Lanes);
            var qt = V.GatherScaled(keyTable, index);
            var qPlus = V.Select(tPlus, tMinus, negative);
            var qMinus = V.Select(tMinus, tPlus, negative);
            if (negative != 0) qt = V.Select(qt, V.Sub(default, qt), negative);
            var sa = V.Mul(V.Add(ey, ex), qPlus);
            var sb = V.Mul(V.Sub(ey, ex), qMinus);
            var sc = V.Mul(qt, et);
            var zq = V.Mul(ez, qz);
            var sd = V.Add(zq, zq);
            var rx = V.Sub(sa, sb);
            var ry = V.Add(sa, sb);
            var rz = V.Add(sd, sc);
            var rt = V.Sub(sd, sc);

            if ((j & 1) == 0)
            {
                // Plus the multiple of B8 for bits 5j..5j+9 of S, an affine point (y + u, y - u, 2d'uy).
                ex = V.Mul(rx, rt);
                ey = V.Mul(ry, rz);
                ez = V.Mul(rz, rt);
                et = V.Mul(rx, ry);
                for (int l = 0; l < Lanes; l++) index[l] = (int)Bits(b.S[g + l], KeyBits * j, BaseBits) * 3;
                var nPlus = V.GatherScaled(baseTable, index);
                Shift(index, 1);
                var nMinus = V.GatherScaled(baseTable, index);
                Shift(index, 1);
                var nt = V.GatherScaled(baseTable, index);
                sa = V.Mul(V.Add(ey, ex), nPlus);
                sb = V.Mul(V.Sub(ey, ex), nMinus);
                sc = V.Mul(nt, et);
                sd = V.Add(ez, ez);
                rx = V.Sub(sa, sb);
                ry = V.Add(sa, sb);
                rz = V.Add(sd, sc);
                rt = V.Sub(sd, sc);
            }
            px = V.Mul(rx, rt);
            py = V.Mul(ry, rz);
            pz = V.Mul(rz, rt);
        }

        var r8x = V.Mul(V.Gather(b.Rx, g, 1), C);
        var r8y = V.Gather(b.Ry, g, 1);
        Span<Fr> dx = stackalloc Fr[Lanes];
        Span<Fr> dy = stackalloc Fr[Lanes];
        FieldVec8.Store(V.Sub(px, V.Mul(r8x, pz)), dx);
        FieldVec8.Store(V.Sub(py, V.Mul(r8y, pz)), dy);
        for (int l = 0; l < Lanes; l++) result[l] = dx[l].IsZero && dy[l].IsZero;
    }

    /// <summary>Entry d of lane e, coordinate c, at (4d + c)·8 + e: d·p in cached form for d = 0..16.</summary>
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

    /// <summary>
    /// k = Σ digits[j]·32^j with digits in -16..15 (a window above 15 borrows 32 from the next); k &lt; 2^251 leaves
    /// the top window below 2 plus a carry, so no digit is left over.
    /// </summary>
    internal static void SignedDigits(in Limbs4 k, Span<sbyte> digits)
    {
        int carry = 0;
        for (int j = 0; j < digits.Length; j++)
        {
            int v = (int)Bits(k, KeyBits * j, KeyBits) + carry;
            carry = v > 15 ? 1 : 0;
            digits[j] = (sbyte)(v - (carry << KeyBits));
        }
    }

    /// <summary>Bits pos..pos+width-1 of k (zero past bit 255), width at most 32.</summary>
    private static ulong Bits(in Limbs4 k, int pos, int width)
    {
        if (pos >= 256) return 0;
        int limb = pos >> 6, shift = pos & 63;
        ulong v = k[limb] >> shift;
        if (shift + width > 64 && limb < 3) v |= k[limb + 1] << (64 - shift);
        return v & ((1UL << width) - 1);
    }

    private static void Shift(Span<int> index, int by)
    {
        for (int l = 0; l < index.Length; l++) index[l] += by;
    }

    /// <summary>The multiples d·B8 by repeated addition, made affine with one batched inversion.</summary>
    private static Limbs4[] BuildBaseTable()
    {
        var b8 = MinusOneEdwards.FromAffine(BabyJubjub.Base8).ToCached();
        var multiples = new EdProjective[BaseEntries];
        var zInv = new Fr[BaseEntries];
        var multiple = EdExtended.Identity;
        for (int d = 0; d < BaseEntries; d++)
        {
            multiples[d] = multiple.ToProjective();
            zInv[d] = multiples[d].Z;
            multiple = MinusOneEdwards.Add(multiple, b8).ToExtended();
        }
        Fr.BatchInverse(zInv);
        var table = new Limbs4[BaseEntries * 3];
        var thirtyTwo = Fr.FromUInt64(32);
        for (int d = 0; d < BaseEntries; d++)
        {
            var u = multiples[d].X * zInv[d];
            var y = multiples[d].Y * zInv[d];
            table[3 * d] = ((y + u) * thirtyTwo).MontgomeryLimbs;
            table[3 * d + 1] = ((y - u) * thirtyTwo).MontgomeryLimbs;
            table[3 * d + 2] = (u * y * MinusOneEdwards.D2 * thirtyTwo).MontgomeryLimbs;
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
}
