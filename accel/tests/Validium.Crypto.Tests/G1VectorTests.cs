using System.Numerics;
using System.Text.Json;
using Validium.Crypto;

namespace Validium.Crypto.Tests;

/// <summary>G1 and G2 arithmetic against anvil's EIP-196 precompiles and ffjavascript (snarkjs's curve code).</summary>
public class G1VectorTests
{
    private const string Anvil = "anvil-precompiles.json";
    private const string Ffjs = "ffjavascript.json";

    public static TheoryData<string> EcAddCases() => VectorFile.Names(Anvil, "ecAdd");
    public static TheoryData<string> EcMulCases() => VectorFile.Names(Anvil, "ecMul");
    public static TheoryData<string> G1MulCases() => VectorFile.Names(Ffjs, "g1Mul");
    public static TheoryData<string> G1AddCases() => VectorFile.Names(Ffjs, "g1Add");
    public static TheoryData<string> G2MulCases() => VectorFile.Names(Ffjs, "g2Mul");

    /// <summary>The EVM right-pads short precompile input with zeros and ignores what is past the end.</summary>
    private static byte[] Padded(byte[] input, int length)
    {
        var b = new byte[length];
        input.AsSpan(0, Math.Min(length, input.Length)).CopyTo(b);
        return b;
    }

    private static G1Affine? TryRead(ReadOnlySpan<byte> b)
    {
        try { return G1Affine.ReadUncompressed(b); }
        catch (FormatException) { return null; }
    }

    [Theory]
    [MemberData(nameof(EcAddCases))]
    public void EcAddMatchesTheAnvilPrecompile(string name)
    {
        var c = VectorFile.Case(Anvil, "ecAdd", name);
        var input = Padded(c.GetProperty("input").Hex(), 128);
        var a = TryRead(input.AsSpan(0, 64));
        var b = TryRead(input.AsSpan(64, 64));
        Assert.Equal(c.GetProperty("success").GetBoolean(), a is not null && b is not null);
        if (a is null || b is null) return;
        var sum = (a.Value + b.Value).ToAffine();
        Assert.Equal(c.GetProperty("output").Hex(), sum.ToUncompressed());
    }

    [Theory]
    [MemberData(nameof(EcMulCases))]
    public void EcMulMatchesTheAnvilPrecompile(string name)
    {
        var c = VectorFile.Case(Anvil, "ecMul", name);
        var input = Padded(c.GetProperty("input").Hex(), 96);
        var p = TryRead(input.AsSpan(0, 64));
        Assert.Equal(c.GetProperty("success").GetBoolean(), p is not null);
        if (p is null) return;
        var k = new BigInteger(input.AsSpan(64, 32), isUnsigned: true, isBigEndian: true);
        var product = p.Value.ToJacobian().Multiply(k).ToAffine();
        Assert.Equal(c.GetProperty("output").Hex(), product.ToUncompressed());
    }

    private static G1Affine G1(JsonElement e) =>
        e.ValueKind == JsonValueKind.String && e.GetString() == "infinity" ? G1Affine.Infinity : G1Affine.FromDecimal(e[0].GetString()!, e[1].GetString()!);

    private static G2Affine G2(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.String && e.GetString() == "infinity") return G2Affine.Infinity;
        Fp2 F(JsonElement c) => new(Fp.Parse(c[0].GetString()!), Fp.Parse(c[1].GetString()!));
        return new G2Affine(F(e[0]), F(e[1]));
    }

    [Theory]
    [MemberData(nameof(G1MulCases))]
    public void G1ScalarMultiplicationMatchesFfjavascript(string name)
    {
        var c = VectorFile.Case(Ffjs, "g1Mul", name);
        var k = BigInteger.Parse(c.Str("scalar"));
        Assert.Equal(G1(c.GetProperty("result")), G1Jacobian.Generator.Multiply(k).ToAffine());
    }

    [Theory]
    [MemberData(nameof(G1AddCases))]
    public void G1AdditionMatchesFfjavascript(string name)
    {
        var c = VectorFile.Case(Ffjs, "g1Add", name);
        var a = G1(c.GetProperty("a"));
        var b = G1(c.GetProperty("b"));
        var expected = G1(c.GetProperty("result"));
        Assert.Equal(expected, (a + b).ToAffine());
        Assert.Equal(expected, b.ToJacobian().Add(a.ToJacobian()).ToAffine());
    }

    [Fact]
    public void G1DoublingMatchesFfjavascript()
    {
        foreach (var c in VectorFile.Load(Ffjs).GetProperty("g1Double").EnumerateArray())
            Assert.Equal(G1(c.GetProperty("result")), G1(c.GetProperty("a")).ToJacobian().Double().ToAffine());
    }

    [Theory]
    [MemberData(nameof(G2MulCases))]
    public void G2ScalarMultiplicationMatchesFfjavascript(string name)
    {
        var c = VectorFile.Case(Ffjs, "g2Mul", name);
        var k = BigInteger.Parse(c.Str("scalar"));
        var expected = G2(c.GetProperty("result"));
        var got = G2Jacobian.Generator.Multiply(k).ToAffine();
        Assert.Equal(expected, got);
        Assert.True(got.IsOnCurve());
    }

    [Fact]
    public void CompressionRoundTripsAndRejectsNonCanonicalInput()
    {
        var rng = new Random(11);
        for (int i = 0; i < 50; i++)
        {
            var p = G1Affine.Generator * Fr.Random(rng);
            Assert.Equal(p, G1Affine.ReadCompressed(p.ToCompressed()));
            Assert.Equal(p.Negate(), G1Affine.ReadCompressed(p.Negate().ToCompressed()));
        }
        Assert.Equal(G1Affine.Infinity, G1Affine.ReadCompressed(G1Affine.Infinity.ToCompressed()));
        var bad = G1Affine.Infinity.ToCompressed();
        bad[31] = 1;
        Assert.Throws<FormatException>(() => G1Affine.ReadCompressed(bad));
        var both = G1Affine.Generator.ToCompressed();
        both[0] |= 0xc0;
        Assert.Throws<FormatException>(() => G1Affine.ReadCompressed(both));
        // x = 0 gives y² = 3, which is not a square in Fp: no point has abscissa 0.
        Assert.Throws<FormatException>(() => G1Affine.ReadCompressed(new byte[32]));
        var xTooBig = Fp.Modulus.ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.Throws<FormatException>(() => G1Affine.ReadCompressed(xTooBig));
    }

    [Fact]
    public void DecodingRejectsOffCurvePointsAndOversizedCoordinates()
    {
        Assert.Throws<FormatException>(() => G1Affine.FromDecimal("1", "3"));
        Assert.Throws<FormatException>(() => G1Affine.FromDecimal(Fp.Modulus.ToString(), "2"));
        Assert.Throws<FormatException>(() => G1Affine.ReadUncompressed(new byte[63]));
        Assert.Throws<ArgumentException>(() => G1Affine.Create(Fp.One, Fp.FromUInt64(3)));
    }
}
