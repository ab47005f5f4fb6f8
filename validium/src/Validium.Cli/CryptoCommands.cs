using System.CommandLine;
using System.Numerics;
using Validium.Crypto;

namespace Validium.Cli;

/// <summary>
/// `vld crypto …`: the reference primitives, printed as circomlibjs prints them (decimal field elements),
/// so a JavaScript wallet and this tool can be checked against each other by hand.
/// </summary>
internal static class CryptoCommands
{
    public static Command Build(TextWriter stdout)
    {
        var crypto = new Command("crypto", "Reference cryptography: Poseidon, EdDSA-Poseidon on BabyJubjub");
        crypto.Subcommands.Add(PoseidonCommand(stdout));
        crypto.Subcommands.Add(EdDsa(stdout));
        return crypto;
    }

    private static Command PoseidonCommand(TextWriter stdout)
    {
        var inputs = new Argument<string[]>("inputs") { Description = "1 to 16 decimal field elements", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("poseidon", "Poseidon hash with circomlib's parameters; prints the hash in decimal") { inputs };
        cmd.SetAction(r =>
        {
            var values = r.GetValue(inputs)!;
            if (values.Length > 16) throw new UsageException($"Poseidon takes 1 to 16 inputs, got {values.Length}");
            var fr = values.Select((v, i) => ParseFr(v, $"input {i + 1}")).ToArray();
            stdout.WriteLine(Poseidon.Hash(fr).ToString());
            return 0;
        });
        return cmd;
    }

    private static Command EdDsa(TextWriter stdout)
    {
        var eddsa = new Command("eddsa", "EdDSA-Poseidon over BabyJubjub, compatible with circomlibjs eddsa.*Poseidon");

        var key = new Option<string>("--key") { Description = "32-byte private key as 64 hex digits", Required = true };
        var pub = new Command("pubkey", "Public key of a private key: prints Ax and Ay") { key };
        pub.SetAction(r =>
        {
            var a = EdDsaPoseidon.PrivateToPublic(ParseKey(r.GetValue(key)!));
            stdout.WriteLine(a.X.ToString());
            stdout.WriteLine(a.Y.ToString());
            return 0;
        });
        eddsa.Subcommands.Add(pub);

        var signKey = new Option<string>("--key") { Description = "32-byte private key as 64 hex digits", Required = true };
        var msg = new Option<string>("--msg") { Description = "Message: a decimal field element", Required = true };
        var sign = new Command("sign", "Sign a field element: prints R8x, R8y and S") { signKey, msg };
        sign.SetAction(r =>
        {
            var sig = EdDsaPoseidon.Sign(ParseKey(r.GetValue(signKey)!), ParseFr(r.GetValue(msg)!, "--msg"));
            stdout.WriteLine(sig.R8.X.ToString());
            stdout.WriteLine(sig.R8.Y.ToString());
            stdout.WriteLine(sig.S.ToString());
            return 0;
        });
        eddsa.Subcommands.Add(sign);

        var ax = new Option<string>("--ax") { Description = "Public key x (decimal)", Required = true };
        var ay = new Option<string>("--ay") { Description = "Public key y (decimal)", Required = true };
        var r8x = new Option<string>("--r8x") { Description = "Signature R8 x (decimal)", Required = true };
        var r8y = new Option<string>("--r8y") { Description = "Signature R8 y (decimal)", Required = true };
        var s = new Option<string>("--s") { Description = "Signature S (decimal)", Required = true };
        var vmsg = new Option<string>("--msg") { Description = "Message: a decimal field element", Required = true };
        var verify = new Command("verify", "Verify a signature: prints valid (exit 0) or invalid (exit 1)") { ax, ay, r8x, r8y, s, vmsg };
        verify.SetAction(r =>
        {
            var a = new BabyJubjubPoint(ParseFr(r.GetValue(ax)!, "--ax"), ParseFr(r.GetValue(ay)!, "--ay"));
            var r8 = new BabyJubjubPoint(ParseFr(r.GetValue(r8x)!, "--r8x"), ParseFr(r.GetValue(r8y)!, "--r8y"));
            var sv = r.GetValue(s)!;
            if (!sv.All(char.IsAsciiDigit) || sv.Length is 0 or > 80) throw new UsageException("--s must be a decimal integer");
            bool ok = EdDsaPoseidon.Verify(ParseFr(r.GetValue(vmsg)!, "--msg"), new EdDsaSignature(r8, BigInteger.Parse(sv)), a);
            stdout.WriteLine(ok ? "valid" : "invalid");
            return ok ? 0 : 1;
        });
        eddsa.Subcommands.Add(verify);
        return eddsa;
    }

    private static Fr ParseFr(string s, string what) =>
        Fr.TryParse(s, out var v) ? v : throw new UsageException($"{what}: '{s}' is not a decimal below the BN254 scalar-field modulus");

    private static byte[] ParseKey(string hex)
    {
        var h = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
        if (h.Length != 64 || !h.All(char.IsAsciiHexDigit)) throw new UsageException("--key must be 32 bytes as 64 hex digits");
        return Convert.FromHexString(h);
    }
}
