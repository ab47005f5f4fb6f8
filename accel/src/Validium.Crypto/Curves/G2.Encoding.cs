namespace Validium.Crypto;

public readonly partial struct G2Affine
{
    /// <summary>Builds a point from coordinates; rejects it when it is off the twist or outside the order-r subgroup.</summary>
    public static G2Affine Create(Fp2 x, Fp2 y)
    {
        var p = new G2Affine(x, y);
        if (!p.IsOnCurve()) throw new ArgumentException($"({x}, {y}) is not on the BN254 twist");
        if (!p.IsInSubgroup()) throw new ArgumentException($"({x}, {y}) is on the twist but not in G2");
        return p;
    }

    /// <summary>From decimal coordinates, real part first (snarkjs's JSON convention; all zeros is infinity).</summary>
    public static G2Affine FromDecimal(string xReal, string xImaginary, string yReal, string yImaginary) =>
        Create(new Fp2(Fp.Parse(xReal), Fp.Parse(xImaginary)), new Fp2(Fp.Parse(yReal), Fp.Parse(yImaginary)));

    /// <summary>
    /// snarkjs JSON: [["x_c0","x_c1"],["y_c0","y_c1"]] optionally followed by the projective z row, which must be
    /// ["1","0"] (or ["0","0"] for infinity, the way snarkjs writes it).
    /// </summary>
    public static G2Affine FromDecimal(IReadOnlyList<IReadOnlyList<string>> coordinates)
    {
        if (coordinates.Count is not (2 or 3) || coordinates.Any(c => c.Count != 2))
            throw new FormatException("a G2 point is [[x_c0, x_c1], [y_c0, y_c1]] with an optional [z_c0, z_c1]");
        if (coordinates.Count == 3)
        {
            var z = new Fp2(Fp.Parse(coordinates[2][0]), Fp.Parse(coordinates[2][1]));
            if (z.IsZero) return Infinity;
            if (z != Fp2.One) throw new FormatException("only affine G2 points (z = 1) are accepted");
        }
        return FromDecimal(coordinates[0][0], coordinates[0][1], coordinates[1][0], coordinates[1][1]);
    }

    public string[][] ToDecimal() => [[X.C0.ToString(), X.C1.ToString()], [Y.C0.ToString(), Y.C1.ToString()]];

    /// <summary>128 bytes: x_imaginary, x_real, y_imaginary, y_real, 32-byte big-endian each (EIP-197); zeros are infinity.</summary>
    public void WriteUncompressed(Span<byte> dst)
    {
        if (dst.Length < 128) throw new ArgumentException("need 128 bytes", nameof(dst));
        X.C1.WriteBigEndian(dst);
        X.C0.WriteBigEndian(dst[32..]);
        Y.C1.WriteBigEndian(dst[64..]);
        Y.C0.WriteBigEndian(dst[96..]);
    }

    public byte[] ToUncompressed()
    {
        var b = new byte[128];
        WriteUncompressed(b);
        return b;
    }

    /// <summary>Parses the EIP-197 encoding; rejects coordinates ≥ p, points off the twist and points outside G2.</summary>
    public static G2Affine ReadUncompressed(ReadOnlySpan<byte> src)
    {
        if (src.Length != 128) throw new FormatException($"a G2 point is 128 bytes, got {src.Length}");
        var p = new G2Affine(
            new Fp2(ReadCoordinate(src[32..64]), ReadCoordinate(src[..32])),
            new Fp2(ReadCoordinate(src[96..128]), ReadCoordinate(src[64..96])));
        if (!p.IsOnCurve()) throw new FormatException("the encoded point is not on the BN254 twist");
        if (!p.IsInSubgroup()) throw new FormatException("the encoded point is not in G2 (order-r subgroup)");
        return p;
    }

    private const byte FlagLargerY = 0x80;
    private const byte FlagInfinity = 0x40;

    /// <summary>
    /// 64 bytes: x_imaginary then x_real, big-endian, with 0x80 in the first byte when y is the larger root under
    /// <see cref="Fp2.IsLexicographicallyLargest"/> and 0x40 (alone, all else zero) for infinity. Byte-for-byte what
    /// ffjavascript's G2 toRprCompressed writes; p &lt; 2^254 leaves both top bits free.
    /// </summary>
    public void WriteCompressed(Span<byte> dst)
    {
        if (dst.Length < 64) throw new ArgumentException("need 64 bytes", nameof(dst));
        if (IsInfinity)
        {
            dst[..64].Clear();
            dst[0] = FlagInfinity;
            return;
        }
        X.C1.WriteBigEndian(dst);
        X.C0.WriteBigEndian(dst[32..]);
        if (Y.IsLexicographicallyLargest) dst[0] |= FlagLargerY;
    }

    public byte[] ToCompressed()
    {
        var b = new byte[64];
        WriteCompressed(b);
        return b;
    }

    /// <summary>Inverse of <see cref="WriteCompressed"/>; accepts only the canonical encoding of a point of G2.</summary>
    public static G2Affine ReadCompressed(ReadOnlySpan<byte> src)
    {
        if (src.Length != 64) throw new FormatException($"a compressed G2 point is 64 bytes, got {src.Length}");
        byte flags = (byte)(src[0] & (FlagLargerY | FlagInfinity));
        Span<byte> x = stackalloc byte[64];
        src.CopyTo(x);
        x[0] &= 0x3f;
        if ((flags & FlagInfinity) != 0)
        {
            if (flags != FlagInfinity || x.ContainsAnyExcept((byte)0)) throw new FormatException("non-canonical encoding of the G2 point at infinity");
            return Infinity;
        }
        var fx = new Fp2(ReadCoordinate(x[32..]), ReadCoordinate(x[..32]));
        if (!(fx.Square() * fx + G2Jacobian.B).TrySqrt(out var y)) throw new FormatException("x is not the abscissa of a point on the BN254 twist");
        // y = 0 would make the flag meaningless; the twist has odd order, so no such point exists, but say so explicitly.
        if (y.IsZero && flags != 0) throw new FormatException("non-canonical sign flag for y = 0");
        if (y.IsLexicographicallyLargest != ((flags & FlagLargerY) != 0)) y = -y;
        var p = new G2Affine(fx, y);
        if (!p.IsInSubgroup()) throw new FormatException("the encoded point is not in G2 (order-r subgroup)");
        return p;
    }

    private static Fp ReadCoordinate(ReadOnlySpan<byte> bigEndian)
    {
        var v = Limbs4.ReadBigEndian(bigEndian);
        if (!Mont<FpModulus>.IsCanonical(v)) throw new FormatException("coordinate is not below the field modulus");
        return Fp.FromCanonical(v);
    }
}
