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
        var tauG1 = file.G1Section(2, "tauG1", 2 * n - 1);
        var tauG2 = file.G2Section(3, "tauG2", n);
        var alpha = file.G1Section(4, "alphaTauG1", n);
        var beta = file.G1Section(5, "betaTauG1", n);
        var betaG2 = file.G2Section(6, "betaG2", 1)[0];

        var prepared = file.Has(12);
        return new Ptau((int)power, (int)ceremonyPower, tauG1, tauG2, alpha, beta, betaG2,
            prepared ? file.G1Section(12, "lagrange tauG1", 4 * n - 1) : [],
            prepared ? file.G2Section(13, "lagrange tauG2", 2 * n - 1) : [],
            prepared ? file.G1Section(14, "lagrange alphaTauG1", 2 * n - 1) : [],
            prepared ? file.G1Section(15, "lagrange betaTauG1", 2 * n - 1) : []);
    }


}
