using BenchmarkDotNet.Attributes;
using Validium.Accel;
using Validium.Accel.Cpu;
using Validium.Crypto;

namespace Validium.Bench;

/// <summary>Poseidon t=3 (two inputs), the state tree's hash, one at a time and as a whole Merkle tree.</summary>
public class HashBenchmarks
{
    /// <summary>circomlibjs: poseidon([1, 2]).</summary>
    private static readonly Fr Poseidon12 = Fr.Parse("7853200120776062878684798364095072458815029376092732009249414926327459813530");

    private Fr a, b;
    private Fr[] leaves = [];
    private AccelDispatcher dispatcher = null!;

    [GlobalSetup]
    public void Setup()
    {
        if (Poseidon.Hash(Fr.One, Fr.FromUInt64(2)) != Poseidon12) throw new InvalidOperationException("Poseidon disagrees with circomlibjs");
        var rng = new Random(3);
        a = Fr.Random(rng);
        b = Fr.Random(rng);
        leaves = new Fr[1 << 16];
        for (int i = 0; i < leaves.Length; i++) leaves[i] = Fr.Random(rng);
        dispatcher = new AccelDispatcher(new BackendRegistry(new CpuBackend()), new AccelOptions { Mode = AccelMode.Cpu });
        var root = dispatcher.MerkleRoot(leaves.AsSpan(0, 4));
        if (root != Poseidon.Hash(Poseidon.Hash(leaves[0], leaves[1]), Poseidon.Hash(leaves[2], leaves[3]))) throw new InvalidOperationException("Merkle root is wrong");
    }

    [Benchmark]
    public Fr PoseidonT3() => Poseidon.Hash(a, b);

    [Benchmark]
    public Fr MerkleTree65536Leaves() => dispatcher.MerkleRoot(leaves);
}
