using Validium.Crypto;
using Validium.Proving.Formats;

namespace Validium.Cli.Tests;

/// <summary>`vld groth16` on the circom/snarkjs fixture (validium/tests/fixtures).</summary>
public class Groth16CommandTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);

    [Fact]
    public async Task ProveThenVerifyAndRejectATamperedPublicSignal()
    {
        var dir = Directory.CreateTempSubdirectory("vld-groth16-");
        try
        {
            string proof = Path.Combine(dir.FullName, "proof.json"), pub = Path.Combine(dir.FullName, "public.json");
            var prove = await Cli.Run("groth16", "prove", "--zkey", Fixture("circuit.zkey"), "--wtns", Fixture("circuit.wtns"), "--proof", proof, "--public", pub, "--backend", "cpu");
            Assert.True(prove.Code == 0, prove.Err);
            Assert.Contains("MsmCH", prove.Err);
            Assert.Equal(File.ReadAllText(Fixture("public.json")), File.ReadAllText(pub));
            var ok = await Cli.Run("groth16", "verify", "--vk", Fixture("verification_key.json"), "--proof", proof, "--public", pub);
            Assert.Equal((0, "OK"), (ok.Code, ok.Out.Trim()));

            var signals = System.Text.Json.JsonSerializer.Deserialize<string[]>(File.ReadAllText(pub))!;
            signals[0] = (System.Numerics.BigInteger.Parse(signals[0]) + 1).ToString();
            File.WriteAllText(pub, System.Text.Json.JsonSerializer.Serialize(signals));
            var bad = await Cli.Run("groth16", "verify", "--vk", Fixture("verification_key.json"), "--proof", proof, "--public", pub);
            Assert.Equal(1, bad.Code);
            Assert.StartsWith("INVALID: the pairing check fails", bad.Out.Trim());
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task CompressedProofRoundTripsAndStillVerifiesWhileBadBytesAreRefused()
    {
        var dir = Directory.CreateTempSubdirectory("vld-groth16-");
        try
        {
            string bin = Path.Combine(dir.FullName, "proof.bin"), back = Path.Combine(dir.FullName, "back.json");
            var compress = await Cli.Run("groth16", "compress", "--proof", Fixture("proof.json"), "--out", bin);
            Assert.True(compress.Code == 0, compress.Err);
            Assert.Equal(128, new FileInfo(bin).Length);
            var decompress = await Cli.Run("groth16", "decompress", "--in", bin, "--proof", back);
            Assert.True(decompress.Code == 0, decompress.Err);
            var ok = await Cli.Run("groth16", "verify", "--vk", Fixture("verification_key.json"), "--proof", back, "--public", Fixture("public.json"));
            Assert.Equal((0, "OK"), (ok.Code, ok.Out.Trim()));

            // B's flags set to infinity and sign at once: not a canonical encoding, refused with the element named.
            var bytes = File.ReadAllBytes(bin);
            bytes[32] |= 0xc0;
            File.WriteAllBytes(bin, bytes);
            var bad = await Cli.Run("groth16", "decompress", "--in", bin, "--proof", back);
            Assert.Equal(2, bad.Code);
            Assert.Contains("π_B", bad.Err);
            File.WriteAllBytes(bin, bytes[..100]);
            var shortFile = await Cli.Run("groth16", "decompress", "--in", bin, "--proof", back);
            Assert.Equal(2, shortFile.Code);
            Assert.Contains("128 bytes", shortFile.Err);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task SetupWritesAKeyThatProvesAndExportVerifierWritesSolidity()
    {
        var dir = Directory.CreateTempSubdirectory("vld-groth16-");
        try
        {
            string zkey = Path.Combine(dir.FullName, "k.zkey"), sol = Path.Combine(dir.FullName, "V.sol");
            var setup = await Cli.Run("groth16", "setup", "--r1cs", Fixture("circuit.r1cs"), "--dev-seed", "3", "--zkey", zkey);
            Assert.True(setup.Code == 0, setup.Err);
            var prove = await Cli.Run("groth16", "prove", "--zkey", zkey, "--wtns", Fixture("circuit.wtns"), "--proof", Path.Combine(dir.FullName, "p.json"), "--public", Path.Combine(dir.FullName, "s.json"));
            Assert.True(prove.Code == 0, prove.Err);
            var export = await Cli.Run("groth16", "export-verifier", "--vk", Fixture("verification_key.json"), "--out", sol);
            Assert.Equal(0, export.Code);
            Assert.Contains("function verifyProof", File.ReadAllText(sol));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task SetupFromPowersOfTauProvesAndVerifies()
    {
        var dir = Directory.CreateTempSubdirectory("vld-groth16-");
        try
        {
            string zkey = Path.Combine(dir.FullName, "k.zkey"), proof = Path.Combine(dir.FullName, "p.json"), pub = Path.Combine(dir.FullName, "s.json");
            var setup = await Cli.Run("groth16", "setup", "--r1cs", Fixture("circuit.r1cs"), "--ptau", Fixture("pot10_final.ptau"), "--zkey", zkey);
            Assert.True(setup.Code == 0, setup.Err);
            var prove = await Cli.Run("groth16", "prove", "--zkey", zkey, "--wtns", Fixture("circuit.wtns"), "--proof", proof, "--public", pub, "--backend", "cpu");
            Assert.True(prove.Code == 0, prove.Err);
            var both = await Cli.Run("groth16", "setup", "--r1cs", Fixture("circuit.r1cs"), "--ptau", Fixture("pot10_final.ptau"), "--dev-seed", "1", "--zkey", zkey);
            Assert.Equal(2, both.Code);
            Assert.Contains("exactly one of --ptau and --dev-seed", both.Err);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public async Task TimingsListEveryPhase()
    {
        var dir = Directory.CreateTempSubdirectory("vld-groth16-");
        try
        {
            var prove = await Cli.Run("groth16", "prove", "--zkey", Fixture("circuit.zkey"), "--wtns", Fixture("circuit.wtns"),
                "--proof", Path.Combine(dir.FullName, "p.json"), "--public", Path.Combine(dir.FullName, "s.json"), "--backend", "cpu", "--timings");
            Assert.True(prove.Code == 0, prove.Err);
            foreach (var phase in new[] { "process start to command", "zkey header", "zkey coefficients", "zkey B2", "zkey H", "wtns read", "device probe",
                "quotient", "intt + coset ntt", "msm A", "msm B1", "msm C and H", "msm B2 (G2)", "write proof", "garbage collections" })
                Assert.Contains(phase, prove.Err);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    /// <summary>The key's sections are read beside the proof; a bad one still ends the command with its error and writes nothing.</summary>
    [Fact]
    public async Task ABadKeySectionFoundWhileProvingWritesNothing()
    {
        var dir = Directory.CreateTempSubdirectory("vld-groth16-");
        try
        {
            var key = ZkeyFormat.Read(Fixture("circuit.zkey"));
            var h = (G1Affine[])key.H.Clone();
            h[3] = new G1Affine(key.Alpha1.X, key.Alpha1.Y + Fp.One);
            string badPoint = Path.Combine(dir.FullName, "bad-point.zkey"), noTail = Path.Combine(dir.FullName, "no-contributions.zkey");
            File.WriteAllBytes(badPoint, ZkeyFormat.Write(key with { H = h }));
            File.WriteAllBytes(noTail, WithoutLastSection(File.ReadAllBytes(Fixture("circuit.zkey"))));
            string proof = Path.Combine(dir.FullName, "p.json"), pub = Path.Combine(dir.FullName, "s.json");
            foreach (var (zkey, message) in new[] { (badPoint, "section 9 (H): H[3] is not on the BN254 curve"), (noTail, "section 10 (contributions): is missing") })
            {
                var (code, _, err) = await Cli.Run("groth16", "prove", "--zkey", zkey, "--wtns", Fixture("circuit.wtns"), "--proof", proof, "--public", pub, "--backend", "cpu");
                Assert.Equal(2, code);
                Assert.Contains($"vld: {Path.GetFileName(zkey)}: {message}", err);
                Assert.DoesNotContain("   at ", err);
                Assert.False(File.Exists(proof) || File.Exists(pub));
            }
        }
        finally
        {
            dir.Delete(true);
        }
    }

    /// <summary>The binfile minus its last section (snarkjs writes section 10, the contributions, last).</summary>
    private static byte[] WithoutLastSection(byte[] bytes)
    {
        int count = BitConverter.ToInt32(bytes, 8), pos = 12, last = 12;
        for (int i = 0; i < count; i++)
        {
            last = pos;
            pos += 12 + (int)BitConverter.ToInt64(bytes, pos + 4);
        }
        Assert.Equal(10, BitConverter.ToInt32(bytes, last));
        var result = bytes[..last];
        BitConverter.GetBytes(count - 1).CopyTo(result, 8);
        return result;
    }

    [Theory]
    [InlineData("groth16", "verify", "--vk", "missing.json", "--proof", "missing.json", "--public", "missing.json")]
    [InlineData("groth16", "prove", "--zkey", "circuit.wtns", "--wtns", "circuit.wtns", "--proof", "p.json", "--public", "s.json")]
    public async Task BadFilesAreOneLineAndExitCode2(params string[] args)
    {
        var resolved = args.Select(a => a.EndsWith(".json") && a.StartsWith("missing") ? Path.Combine(Path.GetTempPath(), a) : a.StartsWith("circuit") ? Fixture(a) : a).ToArray();
        var (code, _, err) = await Cli.Run(resolved);
        Assert.Equal(2, code);
        Assert.StartsWith("vld: ", err);
        Assert.DoesNotContain("   at ", err);
    }
}
