namespace Validium.Crypto.Tests;

/// <summary>
/// The multi-pairing check against anvil's ecPairing precompile (EIP-197): the input is a list of
/// 192-byte (G1, G2) pairs, the output 1 exactly when the product of pairings is one, and every
/// malformed input fails the call.
/// </summary>
public class PrecompilePairingTests
{
    private const string Anvil = "anvil-precompiles.json";

    public static TheoryData<string> Cases() => VectorFile.Names(Anvil, "ecPairing");

    /// <summary>EIP-197 semantics on top of the library: decode every pair, then one pairing check.</summary>
    private static bool? Precompile(byte[] input)
    {
        if (input.Length % 192 != 0) return null;
        var pairs = new (G1Affine, G2Affine)[input.Length / 192];
        try
        {
            for (int i = 0; i < pairs.Length; i++)
            {
                var chunk = input.AsSpan(i * 192, 192);
                pairs[i] = (G1Affine.ReadUncompressed(chunk[..64]), G2Affine.ReadUncompressed(chunk[64..]));
            }
        }
        catch (FormatException)
        {
            return null;
        }
        return Pairing.PairingCheck(pairs);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PairingCheckMatchesTheAnvilPrecompile(string name)
    {
        var c = VectorFile.Case(Anvil, "ecPairing", name);
        var got = Precompile(c.GetProperty("input").Hex());
        Assert.Equal(c.GetProperty("success").GetBoolean(), got is not null);
        if (got is null) return;
        var expected = c.GetProperty("output").HexInteger();
        Assert.Equal(expected == 1, got.Value);
    }
}
