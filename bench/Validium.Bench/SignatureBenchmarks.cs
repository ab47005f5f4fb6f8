using BenchmarkDotNet.Attributes;
using Validium.Crypto;
using Validium.Exchange;

namespace Validium.Bench;

/// <summary>
/// EdDSA-Poseidon verification: the reference (circomlibjs-shaped, what Verify was before), the variable-time
/// single verify, the batch verify with AVX-512 lanes and without (one at a time), and the exchange's order checks
/// (order hash included). Batch figures are per signature over 64 signatures from 64 keys.
/// </summary>
public class SignatureBenchmarks
{
    private const int BatchSize = 64;

    private readonly Fr[] messages = new Fr[BatchSize];
    private readonly EdDsaSignature[] signatures = new EdDsaSignature[BatchSize];
    private readonly BabyJubjubPoint[] keys = new BabyJubjubPoint[BatchSize];
    private readonly bool[] valid = new bool[BatchSize];
    private readonly (Command, EdDsaSignature, BabyJubjubPoint)[] orders = new (Command, EdDsaSignature, BabyJubjubPoint)[BatchSize];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(5);
        for (int i = 0; i < BatchSize; i++)
        {
            var key = new byte[32];
            rng.NextBytes(key);
            messages[i] = Fr.Random(rng);
            signatures[i] = EdDsaPoseidon.Sign(key, messages[i]);
            keys[i] = EdDsaPoseidon.PrivateToPublic(key);
            var c = Command.Place(i, i, 1, 0, Side.Buy, OrderType.Limit, 50_000_000_000, 100_000, i);
            orders[i] = (c, OrderSigning.Sign(c, key), keys[i]);
        }
        // Every path must agree with the reference before anything is timed, on a batch with one forgery in it.
        var forged = (Fr[])messages.Clone();
        forged[9] += Fr.One;
        foreach (bool scalar in new[] { false, true })
        {
            FieldVec8.ForceScalar = scalar;
            EdDsaPoseidon.VerifyBatch(forged, signatures, keys, valid);
            FieldVec8.ForceScalar = false;
            for (int i = 0; i < BatchSize; i++)
                if (valid[i] != EdDsaPoseidon.VerifyReference(forged[i], signatures[i], keys[i]) || valid[i] != EdDsaPoseidon.Verify(forged[i], signatures[i], keys[i]) || valid[i] == (i == 9))
                    throw new InvalidOperationException($"verifiers disagree on signature {i} (scalar fallback: {scalar})");
        }
        OrderSigning.VerifyBatch(orders, valid);
        if (!valid.All(v => v)) throw new InvalidOperationException("an order signature failed the batch check");
    }

    [Benchmark(Baseline = true)]
    public bool VerifyReference() => EdDsaPoseidon.VerifyReference(messages[0], signatures[0], keys[0]);

    [Benchmark]
    public bool Verify() => EdDsaPoseidon.Verify(messages[0], signatures[0], keys[0]);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void VerifyBatchPerSignature() => EdDsaPoseidon.VerifyBatch(messages, signatures, keys, valid);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void VerifyBatchWithoutAvx512PerSignature()
    {
        FieldVec8.ForceScalar = true;
        try { EdDsaPoseidon.VerifyBatch(messages, signatures, keys, valid); }
        finally { FieldVec8.ForceScalar = false; }
    }

    [Benchmark]
    public bool OrderVerify() => OrderSigning.Verify(orders[0].Item1, orders[0].Item2, orders[0].Item3);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void OrderVerifyBatchPerOrder() => OrderSigning.VerifyBatch(orders, valid);
}
