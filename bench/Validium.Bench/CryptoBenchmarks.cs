using BenchmarkDotNet.Attributes;
using Validium.Crypto;

namespace Validium.Bench;

/// <summary>CPU reference costs of the wide hash and the signatures the order flow uses (Poseidon t=3 is in HashBenchmarks).</summary>
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
        if (!EdDsaPoseidon.Verify(42, signature, publicKey) || EdDsaPoseidon.Verify(43, signature, publicKey))
            throw new InvalidOperationException("EdDSA-Poseidon sign/verify disagree");
    }

    [Benchmark]
    public Fr PoseidonSixteenInputs() => Poseidon.Hash(sixteen);

    [Benchmark]
    public EdDsaSignature EdDsaSign() => EdDsaPoseidon.Sign(key, 42);

    [Benchmark]
    public bool EdDsaVerify() => EdDsaPoseidon.Verify(42, signature, publicKey);
}
