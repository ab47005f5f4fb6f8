using Validium.Crypto;

namespace Validium.Exchange;

/// <summary>
/// The signed form of trader commands (ORDERS.md): message = Poseidon of eleven fields, signed with EdDSA-Poseidon
/// on BabyJubjub exactly as circomlibjs' eddsa.signPoseidon. Stateless and thread-safe, so verification can run on
/// any thread before a command reaches the single matching thread.
/// </summary>
public static class OrderSigning
{
    public const int FieldCount = 11;

    public static bool IsSignable(CommandKind kind) => kind is CommandKind.Place or CommandKind.Cancel or CommandKind.Amend or CommandKind.CancelAll;

    /// <summary>The eleven fields in signing order; each is the field's 64-bit two's-complement pattern read as unsigned.</summary>
    public static void Fields(in Command c, Span<Fr> fields)
    {
        if (fields.Length != FieldCount) throw new ArgumentException($"need {FieldCount} fields", nameof(fields));
        fields[0] = (ulong)c.Kind;
        fields[1] = (ulong)(long)c.Account;
        fields[2] = (ulong)c.Nonce;
        fields[3] = (ulong)(long)c.Instrument;
        fields[4] = (ulong)c.Side;
        fields[5] = (ulong)c.Type;
        fields[6] = (ulong)c.Price;
        fields[7] = (ulong)c.Quantity;
        fields[8] = (ulong)c.ClientId;
        fields[9] = (c.ReduceOnly ? 1UL : 0UL) | ((ulong)c.Stp << 1);
        fields[10] = (ulong)c.ExpiresAt;
    }

    public static Fr Hash(in Command c)
    {
        Span<Fr> f = stackalloc Fr[FieldCount];
        Fields(c, f);
        return Poseidon.Hash(f);
    }

    public static EdDsaSignature Sign(in Command c, ReadOnlySpan<byte> privateKey) => EdDsaPoseidon.Sign(privateKey, Hash(c));

    /// <summary>True when the command is a trader command and the signature is the key holder's over its hash.</summary>
    public static bool Verify(in Command c, EdDsaSignature signature, BabyJubjubPoint key) =>
        IsSignable(c.Kind) && IsSigningKey(key) && EdDsaPoseidon.Verify(Hash(c), signature, key);

    /// <summary>
    /// The batch circuit's verifier (circomlib's) refuses a key whose 8·A has x = 0, i.e. a key of small order, for
    /// which anyone can forge signatures; the engine refuses the same keys, so it never accepts a command that no
    /// batch could prove.
    /// </summary>
    public static bool IsSigningKey(BabyJubjubPoint key) => key.IsOnCurve && !BabyJubjub.IsSmallOrder(key);

    /// <summary>Commands hashed and checked per call of the batch primitives: bounds the scratch buffers.</summary>
    private const int BatchChunk = 256;

    /// <summary>
    /// valid[i] = Verify(orders[i]) for every i, for an intake stage that collects commands before sequencing:
    /// order hashes and signature checks run eight at a time (<see cref="Poseidon.HashBatch"/>,
    /// <see cref="EdDsaPoseidon.VerifyBatch"/>), and each command still gets its own answer.
    /// </summary>
    public static void VerifyBatch(ReadOnlySpan<(Command Command, EdDsaSignature Signature, BabyJubjubPoint Key)> orders, Span<bool> valid)
    {
        if (valid.Length != orders.Length)
            throw new ArgumentException($"{orders.Length} orders need {orders.Length} results, got {valid.Length}", nameof(valid));
        int chunk = Math.Min(BatchChunk, orders.Length);
        var fields = new Fr[chunk * FieldCount];
        var hashes = new Fr[chunk];
        var signatures = new EdDsaSignature[chunk];
        var keys = new BabyJubjubPoint[chunk];
        for (int start = 0; start < orders.Length; start += chunk)
        {
            int n = Math.Min(chunk, orders.Length - start);
            for (int i = 0; i < n; i++)
            {
                var (c, signature, key) = orders[start + i];
                Fields(c, fields.AsSpan(i * FieldCount, FieldCount));
                signatures[i] = signature;
                keys[i] = key;
            }
            Poseidon.HashBatch(fields.AsSpan(0, n * FieldCount), FieldCount, hashes.AsSpan(0, n));
            var results = valid.Slice(start, n);
            EdDsaPoseidon.VerifyBatch(hashes.AsSpan(0, n), signatures.AsSpan(0, n), keys.AsSpan(0, n), results);
            for (int i = 0; i < n; i++) results[i] &= IsSignable(orders[start + i].Command.Kind) && IsSigningKey(keys[i]);
        }
    }
}
