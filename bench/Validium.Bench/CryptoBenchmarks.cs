using BenchmarkDotNet.Attributes;
using Validium.Crypto;

namespace Validium.Bench;

/// <summary>CPU reference costs of the hashes and signatures the state tree and order flow use.</summary>
[MemoryDiagnoser]
public class CryptoBenchmarks
{
    private readonly Fr[] sixteen = [.. Enumerable.Range(1, 16).Select(i => Fr.FromUInt64((ulong)i))];
    private readonly byte[] key = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
    private BabyJubjubPoint publicKey;
    private EdDsaSignature signature;

    [GlobalSetup]
    public void Setup()
    {
        publicKey = EdDsaPoseidon.PrivateToPublic(key);
        signature = EdDsaPoseidon.Sign(key, 42);
    }

    [Benchmark]
    public Fr PoseidonTwoInputs() => Poseidon.Hash(1, 2);

    [Benchmark]
    public Fr PoseidonSixteenInputs() => Poseidon.Hash(sixteen);

    [Benchmark]
    public EdDsaSignature EdDsaSign() => EdDsaPoseidon.Sign(key, 42);

    [Benchmark]
    public bool EdDsaVerify() => EdDsaPoseidon.Verify(42, signature, publicKey);
}
