using Validium.Crypto;

namespace Validium.Proving.Formats;

/// <summary>
/// A powers-of-tau file. TauG1 holds 2^(Power+1)-1 powers, the other power arrays 2^Power. The Lagrange arrays exist
/// only after `snarkjs powersoftau prepare phase2` and are empty otherwise; each concatenates the bases for domain
/// sizes 1, 2, 4, …, so the bases for 2^k start at <see cref="LagrangeOffset"/>(k).
/// </summary>
public sealed record Ptau(
    int Power,
    int CeremonyPower,
    G1Affine[] TauG1,
    G2Affine[] TauG2,
    G1Affine[] AlphaTauG1,
    G1Affine[] BetaTauG1,
    G2Affine BetaG2,
    G1Affine[] LagrangeTauG1,
    G2Affine[] LagrangeTauG2,
    G1Affine[] LagrangeAlphaTauG1,
    G1Affine[] LagrangeBetaTauG1)
{
    public bool IsPreparedForPhase2 => LagrangeTauG1.Length > 0;

    public static int LagrangeOffset(int log2DomainSize) => (1 << log2DomainSize) - 1;
}

/// <summary>
/// snarkjs's .ptau binfile (magic "ptau", version 1), read only: 1 header (n8, q, power, ceremonyPower), 2 tauG1,
/// 3 tauG2, 4 alphaTauG1, 5 betaTauG1, 6 betaG2, 7 contributions (not interpreted), 12-15 the Lagrange forms.
/// Points are Montgomery little-endian.
/// </summary>
public static class PtauFormat
{
    private const int G1Size = 64, G2Size = 128;

    public static Ptau Read(string path) => Read(File.ReadAllBytes(path), Path.GetFileName(path));

    public static Ptau Read(byte[] data, string fileName)
    {
        var file = new BinFileReader(data, fileName, "ptau", 1);
        var h = file.Section(1, "header");
        h.Prime(Fp.Modulus, "base field");
        var power = h.U32("power");
        var ceremonyPower = h.U32("ceremonyPower");
        h.End();
        // BN254's scalar field has 2-adicity 28, so no ceremony goes beyond it.
        if (power is < 1 or > 28 || ceremonyPower is < 1 or > 28 || power > ceremonyPower)
            throw h.Error($"power {power} / ceremonyPower {ceremonyPower} out of range");

        long n = 1L << (int)power;
        var tauG1 = G1s(file, 2, "tauG1", 2 * n - 1);
        var tauG2 = G2s(file, 3, "tauG2", n);
        var alpha = G1s(file, 4, "alphaTauG1", n);
        var beta = G1s(file, 5, "betaTauG1", n);
        var betaG2 = G2s(file, 6, "betaG2", 1)[0];

        var prepared = file.Has(12);
        return new Ptau((int)power, (int)ceremonyPower, tauG1, tauG2, alpha, beta, betaG2,
            prepared ? G1s(file, 12, "lagrange tauG1", 4 * n - 1) : [],
            prepared ? G2s(file, 13, "lagrange tauG2", 2 * n - 1) : [],
            prepared ? G1s(file, 14, "lagrange alphaTauG1", 2 * n - 1) : [],
            prepared ? G1s(file, 15, "lagrange betaTauG1", 2 * n - 1) : []);
    }

    private static G1Affine[] G1s(BinFileReader file, int section, string name, long count)
    {
        var s = file.Section(section, name);
        s.ExpectLength(count * G1Size, $"{count} G1 points");
        return s.G1Array((int)count, name);
    }

    private static G2Affine[] G2s(BinFileReader file, int section, string name, long count)
    {
        var s = file.Section(section, name);
        s.ExpectLength(count * G2Size, $"{count} G2 points");
        return s.G2Array((int)count, name);
    }
}
