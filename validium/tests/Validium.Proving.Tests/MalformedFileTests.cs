using System.Buffers.Binary;
using CsCheck;
using Validium.Crypto;
using Validium.Proving.Formats;

namespace Validium.Proving.Tests;

/// <summary>Damaged inputs fail with a FormatException that names the file and the section, never with an index error.</summary>
public class MalformedFileTests
{
    private static readonly byte[] WtnsBytes = Fixtures.Bytes("circuit.wtns");
    private static readonly byte[] R1csBytes = Fixtures.Bytes("circuit.r1cs");
    private static readonly byte[] ZkeyBytes = Fixtures.Bytes("circuit.zkey");

    private static FormatException Fails(Action read)
    {
        var e = Assert.Throws<FormatException>(read);
        Assert.StartsWith("bad.", e.Message);
        return e;
    }

    [Fact]
    public void TruncatedFilesAreFormatErrors()
    {
        Gen.Int[0, WtnsBytes.Length - 1].Sample(n => { Fails(() => WtnsFormat.Read(WtnsBytes[..n], "bad.wtns")); }, iter: 200);
        Gen.Int[0, R1csBytes.Length - 1].Sample(n => { Fails(() => R1csFormat.Read(R1csBytes[..n], "bad.r1cs")); }, iter: 100);
        Gen.Int[0, ZkeyBytes.Length - 1].Sample(n => { Fails(() => ZkeyFormat.Read(ZkeyBytes[..n], "bad.zkey")); }, iter: 30);
    }

    /// <summary>Random byte damage may go unnoticed (a coefficient is any field element) but must never crash differently.</summary>
    [Fact]
    public void CorruptedBytesNeverEscapeAsOtherExceptions()
    {
        Gen.Select(Gen.Int[0, R1csBytes.Length - 1], Gen.Byte[1, 255]).Sample((at, x) =>
        {
            var data = (byte[])R1csBytes.Clone();
            data[at] ^= x;
            try { R1csFormat.Read(data, "bad.r1cs"); }
            catch (FormatException e) { Assert.StartsWith("bad.r1cs: ", e.Message); }
        }, iter: 300);
    }

    [Fact]
    public void WrongMagicAndVersion()
    {
        var data = (byte[])WtnsBytes.Clone();
        data[0] = (byte)'x';
        Assert.Contains("file header: magic is 'xtns', expected 'wtns'", Fails(() => WtnsFormat.Read(data, "bad.wtns")).Message);
        Assert.Contains("magic", Fails(() => ZkeyFormat.Read(WtnsBytes, "bad.zkey")).Message);
        data = (byte[])WtnsBytes.Clone();
        data[4] = 7;
        Assert.Contains("version 7, expected 2", Fails(() => WtnsFormat.Read(data, "bad.wtns")).Message);
    }

    /// <summary>A file for another curve (same layout, different prime) is refused in the header section.</summary>
    [Fact]
    public void WrongPrime()
    {
        var data = (byte[])WtnsBytes.Clone();
        var header = SectionPayload(data, 1);
        data[header + 4] ^= 2; // the prime's lowest byte
        var e = Fails(() => WtnsFormat.Read(data, "bad.wtns"));
        Assert.Contains("section 1 (header): field prime is", e.Message);

        var zkey = (byte[])ZkeyBytes.Clone();
        zkey[SectionPayload(zkey, 2) + 4 + 32 + 4] ^= 2; // r, after n8q, q and n8r
        Assert.Contains("section 2 (groth16 header): scalar field (r) prime", Fails(() => ZkeyFormat.Read(zkey, "bad.zkey")).Message);
    }

    [Fact]
    public void BadSectionSizes()
    {
        var data = (byte[])WtnsBytes.Clone();
        SetSectionSize(data, 1, 100_000);
        Assert.Contains("section 1: declares 100000 bytes", Fails(() => WtnsFormat.Read(data, "bad.wtns")).Message);

        // A witness count that disagrees with the values section.
        data = (byte[])WtnsBytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(SectionPayload(data, 1) + 36), 7);
        Assert.Contains("section 2 (values): is", Fails(() => WtnsFormat.Read(data, "bad.wtns")).Message);

        // A section grown by a byte the layout has no room for.
        var (h, size) = Locate(ZkeyBytes, 2);
        byte[] bytes = [.. ZkeyBytes[..(h + (int)size)], (byte)0, .. ZkeyBytes[(h + (int)size)..]];
        SetSectionSize(bytes, 2, size + 1);
        Assert.Contains("section 2 (groth16 header): 1 unexpected bytes at the end", Fails(() => ZkeyFormat.Read(bytes, "bad.zkey")).Message);

        data = (byte[])ZkeyBytes.Clone();
        Array.Resize(ref data, data.Length + 5);
        Assert.Contains("section table: 5 bytes follow the last section", Fails(() => ZkeyFormat.Read(data, "bad.zkey")).Message);
    }

    [Fact]
    public void OffCurvePointsNameTheirSection()
    {
        var key = ZkeyFormat.Read(ZkeyBytes, "circuit.zkey");
        var offCurve = new G1Affine(key.Alpha1.X, key.Alpha1.Y + Fp.One);
        Assert.Contains("section 2 (groth16 header): alpha1 is not on the BN254 curve",
            Fails(() => ZkeyFormat.Read(ZkeyFormat.Write(key with { Alpha1 = offCurve }), "bad.zkey")).Message);
        var h = (G1Affine[])key.H.Clone();
        h[3] = offCurve;
        Assert.Contains("section 9 (H): H[3] is not on the BN254 curve",
            Fails(() => ZkeyFormat.Read(ZkeyFormat.Write(key with { H = h }), "bad.zkey")).Message);
        var b2 = (G2Affine[])key.B2.Clone();
        b2[1] = new G2Affine(key.Beta2.X, key.Beta2.X);
        Assert.Contains("section 7 (B2): B2[1] is not on the BN254 twist",
            Fails(() => ZkeyFormat.Read(ZkeyFormat.Write(key with { B2 = b2 }), "bad.zkey")).Message);

        // Several bad points: the first by index is named, whichever thread finds which.
        h = (G1Affine[])key.H.Clone();
        h[^1] = offCurve;
        h[5] = offCurve;
        Assert.Contains("section 9 (H): H[5] is not on the BN254 curve",
            Fails(() => ZkeyFormat.Read(ZkeyFormat.Write(key with { H = h }), "bad.zkey")).Message);
    }

    [Fact]
    public void FieldElementsAtOrAboveThePrimeAreRejected()
    {
        var bytes = (byte[])ZkeyBytes.Clone();
        var (h, _) = Locate(bytes, 9);
        bytes.AsSpan(h + 2 * 64, 32).Fill(0xff);
        Assert.Contains("section 9 (H): H[2] is not below the base field prime", Fails(() => ZkeyFormat.Read(bytes, "bad.zkey")).Message);

        bytes = (byte[])ZkeyBytes.Clone();
        var (c, _) = Locate(bytes, 4);
        bytes.AsSpan(c + 4 + 44 + 12, 32).Fill(0xff);
        Assert.Contains("section 4 (coefficients): coefficient 1 value is not below the scalar field prime", Fails(() => ZkeyFormat.Read(bytes, "bad.zkey")).Message);
    }

    [Fact]
    public void DamagedPtau()
    {
        var ptau = Fixtures.Bytes("pot10_final.ptau");
        Fails(() => PtauFormat.Read(ptau[..(ptau.Length / 2)], "bad.ptau"));

        var data = (byte[])ptau.Clone();
        data[SectionPayload(data, 1) + 4] ^= 2;
        Assert.Contains("section 1 (header): base field prime", Fails(() => PtauFormat.Read(data, "bad.ptau")).Message);

        // tauG1[1].y's lowest Montgomery byte: still a field element, no longer on the curve.
        data = (byte[])ptau.Clone();
        data[SectionPayload(data, 2) + 64 + 32] ^= 1;
        Assert.Contains("section 2 (tauG1): tauG1[1] is not on the BN254 curve", Fails(() => PtauFormat.Read(data, "bad.ptau")).Message);

        data = (byte[])ptau.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(SectionPayload(data, 1) + 36), 9);
        Assert.Contains("section 2 (tauG1): is", Fails(() => PtauFormat.Read(data, "bad.ptau")).Message);
    }

    [Fact]
    public void ValuesAtOrAboveTheModulusAreRejected()
    {
        var data = (byte[])WtnsBytes.Clone();
        data.AsSpan(SectionPayload(data, 2) + 32, 32).Fill(0xff);
        Assert.Contains("section 2 (values): value 1 is not below the scalar field prime", Fails(() => WtnsFormat.Read(data, "bad.wtns")).Message);
    }

    [Fact]
    public void MalformedJson()
    {
        var proof = Fixtures.Text("proof.json");
        var x = SnarkjsJson.ReadProof(proof, "proof.json").A.X.ToString();
        Assert.Contains("pi_a", Fails(() => SnarkjsJson.ReadProof(proof.Replace(x, "1"), "bad.json")).Message);
        Assert.Contains("not valid JSON", Fails(() => SnarkjsJson.ReadProof(proof[..100], "bad.json")).Message);
        Assert.Contains("groth16 on bn128", Fails(() => SnarkjsJson.ReadProof(proof.Replace("bn128", "bls12381"), "bad.json")).Message);
        Assert.Contains("public signal 0", Fails(() => SnarkjsJson.ReadPublicSignals("[1]", "bad.json")).Message);
        var vk = Fixtures.Text("verification_key.json");
        Assert.Contains("IC must be", Fails(() => SnarkjsJson.ReadVerificationKey(vk.Replace("\"nPublic\": 3", "\"nPublic\": 2"), "bad.json")).Message);
    }

    /// <summary>Offset of a section's payload, found by walking the section table the way a binfile reader does.</summary>
    private static int SectionPayload(byte[] data, uint type) => Locate(data, type).Payload;

    private static void SetSectionSize(byte[] data, uint type, long size) =>
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(Locate(data, type).Payload - 8), (ulong)size);

    private static (int Payload, long Size) Locate(byte[] data, uint type)
    {
        int pos = 12;
        while (true)
        {
            var t = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(pos));
            var size = (long)BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(pos + 4));
            if (t == type) return (pos + 12, size);
            pos += 12 + (int)size;
        }
    }
}
