using System.Buffers.Binary;
using Validium.Accel;
using Validium.Accel.Inputs;
using Validium.Crypto;
using Validium.Proving.Formats;
using Validium.Proving.Groth16;

namespace Validium.Proving.Tests;

/// <summary>
/// A .zkey opened from disk and read on a background thread while the prover runs (ZkeyFormat.Open): the same key
/// as reading the bytes whole, proofs that verify, and a bad section failing the proof with its own error.
/// </summary>
public class PendingKeyTests
{
    private static readonly byte[] ZkeyBytes = Fixtures.Bytes("circuit.zkey");
    private static readonly Fr[] Witness = WtnsFormat.Read(Fixtures.PathOf("circuit.wtns")).Values;
    private static readonly Prover Cpu = new(new AccelDispatcher(new BackendRegistry(), new AccelOptions { Mode = AccelMode.Cpu }));

    private static string Write(TempDir tmp, byte[] bytes)
    {
        var path = tmp.File("key.zkey");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void OpeningTheFileGivesTheKeyReadFromItsBytes()
    {
        using var tmp = new TempDir();
        var pending = ZkeyFormat.Open(Write(tmp, ZkeyBytes));
        Assert.Equal(ZkeyFormat.Write(ZkeyFormat.Read(ZkeyBytes, "circuit.zkey")), ZkeyFormat.Write(pending.Wait()));
    }

    [Fact]
    public void AProofFromAKeyStillBeingReadVerifies()
    {
        using var tmp = new TempDir();
        var pending = ZkeyFormat.Open(Write(tmp, ZkeyBytes));
        var proof = Cpu.Prove(pending, Witness);
        var publics = Witness.AsSpan(1, pending.NumPublic).ToArray();
        Assert.True(Verifier.Verify(pending.Wait().VerifyingKey, proof, publics, out var reason), reason);
    }

    /// <summary>The header is good, so opening succeeds; the proof then fails on the part it cannot have, naming it.</summary>
    [Fact]
    public void ABadPointFailsTheProofWithTheSectionsOwnError()
    {
        var key = ZkeyFormat.Read(ZkeyBytes, "circuit.zkey");
        var b2 = (G2Affine[])key.B2.Clone();
        b2[1] = new G2Affine(key.Beta2.X, key.Beta2.X);
        var h = (G1Affine[])key.H.Clone();
        h[3] = new G1Affine(key.Alpha1.X, key.Alpha1.Y + Fp.One);
        using var tmp = new TempDir();
        foreach (var (bad, message) in new[]
        {
            (key with { B2 = b2 }, "key.zkey: section 7 (B2): B2[1] is not on the BN254 twist"),
            (key with { H = h }, "key.zkey: section 9 (H): H[3] is not on the BN254 curve"),
        })
        {
            var pending = ZkeyFormat.Open(Write(tmp, ZkeyFormat.Write(bad)));
            Assert.Equal(message, Assert.Throws<FormatException>(() => Cpu.Prove(pending, Witness)).Message);
            Assert.Equal(message, Assert.Throws<FormatException>(() => pending.Wait()).Message);
        }
    }

    [Fact]
    public void AWrongSectionSizeFailsAtOpen()
    {
        var bytes = (byte[])ZkeyBytes.Clone();
        var (payload, size) = Locate(bytes, 9);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(payload - 8), (ulong)(size - 64));
        byte[] shorter = [.. bytes[..(payload + (int)size - 64)], .. bytes[(payload + (int)size)..]];
        using var tmp = new TempDir();
        var path = Write(tmp, shorter);
        var e = Assert.Throws<FormatException>(() => ZkeyFormat.Open(path));
        Assert.Contains($"key.zkey: section 9 (H): is {size - 64} bytes", e.Message);
        File.Delete(path); // the file was closed on the failure
    }

    /// <summary>
    /// Points are read from the file in chunks of 4,096 on several threads: a key with 16,384 distinct H points reads
    /// back equal, and with bad points in two later chunks the first by index is named.
    /// </summary>
    [Fact]
    public void PointsAcrossManyChunksReadBackAndTheFirstBadOneIsNamed()
    {
        var key = ZkeyFormat.Read(ZkeyBytes, "circuit.zkey");
        var (points, _) = MsmInputs.Generate(1 << 14, seed: 5);
        var big = key with { DomainSize = 1 << 14, H = points };
        using var tmp = new TempDir();
        var read = ZkeyFormat.Open(Write(tmp, ZkeyFormat.Write(big))).Wait();
        Assert.Equal(points, read.H);

        var bad = (G1Affine[])points.Clone();
        bad[13000] = new G1Affine(points[13000].X, points[13000].Y + Fp.One);
        bad[9000] = new G1Affine(points[9000].X, points[9000].Y + Fp.One);
        var pending = ZkeyFormat.Open(Write(tmp, ZkeyFormat.Write(big with { H = bad })));
        Assert.Equal("key.zkey: section 9 (H): H[9000] is not on the BN254 curve", Assert.Throws<FormatException>(() => pending.Wait()).Message);
    }

    [Fact]
    public async Task PhaseTimesListPhasesFromEveryThreadInStartOrder()
    {
        var times = new PhaseTimes { Origin = TimeSpan.FromMilliseconds(100) };
        using (times.Measure("outer"))
        {
            await Task.Run(() =>
            {
                using (times.Measure("beside")) Thread.Sleep(5);
            });
        }
        times.Record("first", TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
        var phases = times.Phases;
        Assert.Equal(["first", "outer", "beside"], phases.Select(p => p.Name));
        Assert.True(phases[1].Start >= TimeSpan.FromMilliseconds(100) && phases[1].End >= phases[2].End);
        Assert.True(phases[2].End - phases[2].Start >= TimeSpan.FromMilliseconds(5));
        var lines = times.Format().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("first", lines[1]);
    }

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
