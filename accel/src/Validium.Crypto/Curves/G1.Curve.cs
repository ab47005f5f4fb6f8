namespace Validium.Crypto;

public readonly partial struct G1Jacobian
{
    /// <summary>y² = x³ + 3.</summary>
    public static readonly Fp B = Fp.FromUInt64(3);

    public static G1Jacobian Generator => new(Fp.One, Fp.FromUInt64(2), Fp.One);
}

public readonly partial struct G1Affine
{
    public static G1Affine Generator => new(Fp.One, Fp.FromUInt64(2));

    /// <summary>G1 has cofactor 1, so every point on the curve is in the r-torsion subgroup.</summary>
    public bool IsInSubgroup() => IsOnCurve();

    /// <summary>Builds a point from coordinates and rejects it when it is not on the curve.</summary>
    public static G1Affine Create(Fp x, Fp y)
    {
        var p = new G1Affine(x, y);
        if (!p.IsOnCurve()) throw new ArgumentException($"({x}, {y}) is not on BN254 G1");
        return p;
    }

    /// <summary>From decimal coordinates, snarkjs's JSON convention ("0","0" is infinity); malformed input is a FormatException.</summary>
    public static G1Affine FromDecimal(string x, string y) => Decoded(Fp.Parse(x), Fp.Parse(y));

    /// <summary>Decoders report every malformed encoding the same way, as G2's do.</summary>
    private static G1Affine Decoded(Fp x, Fp y)
    {
        var p = new G1Affine(x, y);
        if (!p.IsOnCurve()) throw new FormatException($"({x}, {y}) is not on BN254 G1");
        return p;
    }

    private static Fp ReadCoordinate(ReadOnlySpan<byte> bigEndian32)
    {
        var v = Limbs4.ReadBigEndian(bigEndian32);
        if (!Mont<FpModulus>.IsCanonical(v)) throw new FormatException("G1 coordinate is not below the base-field modulus");
        return Fp.FromCanonical(v);
    }

    public (string X, string Y) ToDecimal() => (X.ToString(), Y.ToString());

    /// <summary>64 bytes, x then y, 32-byte big-endian each: the EIP-196 precompile encoding.</summary>
    public void WriteUncompressed(Span<byte> dst)
    {
        if (dst.Length < 64) throw new ArgumentException("need 64 bytes", nameof(dst));
        X.WriteBigEndian(dst);
        Y.WriteBigEndian(dst[32..]);
    }

    public byte[] ToUncompressed()
    {
        var b = new byte[64];
        WriteUncompressed(b);
        return b;
    }

    /// <summary>Parses the EIP-196 encoding; rejects (FormatException) coordinates ≥ p and points off the curve.</summary>
    public static G1Affine ReadUncompressed(ReadOnlySpan<byte> src)
    {
        if (src.Length != 64) throw new FormatException($"a G1 point is 64 bytes, got {src.Length}");
        return Decoded(ReadCoordinate(src[..32]), ReadCoordinate(src[32..]));
    }

    private const byte FlagNegativeY = 0x80;
    private const byte FlagInfinity = 0x40;

    /// <summary>
    /// 32 bytes: big-endian x with 0x80 set when y is the larger root (y &gt; (p-1)/2) and 0x40 for infinity,
    /// as ffjavascript's toRprCompressed. p &lt; 2^254 leaves both top bits free.
    /// </summary>
    public void WriteCompressed(Span<byte> dst)
    {
        if (dst.Length < 32) throw new ArgumentException("need 32 bytes", nameof(dst));
        if (IsInfinity)
        {
            dst[..32].Clear();
            dst[0] = FlagInfinity;
            return;
        }
        X.WriteBigEndian(dst);
        if (Y.IsLexicographicallyLargest) dst[0] |= FlagNegativeY;
    }

    public byte[] ToCompressed()
    {
        var b = new byte[32];
        WriteCompressed(b);
        return b;
    }

    public static G1Affine ReadCompressed(ReadOnlySpan<byte> src)
    {
        if (src.Length != 32) throw new FormatException($"a compressed G1 point is 32 bytes, got {src.Length}");
        byte flags = (byte)(src[0] & (FlagNegativeY | FlagInfinity));
        Span<byte> x = stackalloc byte[32];
        src.CopyTo(x);
        x[0] &= 0x3f;
        if ((flags & FlagInfinity) != 0)
        {
            if (flags != FlagInfinity || x.ContainsAnyExcept((byte)0)) throw new FormatException("non-canonical encoding of the G1 point at infinity");
            return Infinity;
        }
        var fx = ReadCoordinate(x);
        if (!(fx.Square() * fx + G1Jacobian.B).TrySqrt(out var y)) throw new FormatException("x is not the abscissa of a G1 point");
        if (y.IsLexicographicallyLargest != ((flags & FlagNegativeY) != 0)) y = -y;
        return new G1Affine(fx, y);
    }
}
