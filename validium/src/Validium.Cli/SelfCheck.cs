using System.CommandLine;
using System.Diagnostics;
using Validium.Accel;
using Validium.Accel.Inputs;
using Validium.Crypto;

namespace Validium.Cli;

/// <summary>
/// `vld selfcheck`: known answers from independent tools (circomlibjs, ethers, the EVM precompiles' algebra)
/// for every primitive, then every accelerator device against the CPU. Exit code 1 if anything disagrees.
/// </summary>
internal static class SelfCheck
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var emulate = new Option<bool>("--allow-emulation") { Description = "Also check ILGPU's CPU accelerator (emulated GPU kernels)", DefaultValueFactory = _ => true };
        var cmd = new Command("selfcheck", "Check the cryptography and every accelerator device against known answers") { emulate };
        cmd.SetAction(r => Run(stdout, stderr, r.GetValue(emulate)));
        return cmd;
    }

    private static int Run(TextWriter stdout, TextWriter stderr, bool emulate)
    {
        int failures = 0;
        void Check(string name, Func<string?> body)
        {
            var sw = Stopwatch.StartNew();
            string? problem;
            try { problem = body(); }
            catch (Exception ex) { problem = $"{ex.GetType().Name}: {ex.Message}"; }
            stdout.WriteLine($"{(problem is null ? "PASS" : "FAIL")}  {name,-52} {sw.Elapsed.TotalMilliseconds,8:0.0} ms{(problem is null ? "" : "  " + problem)}");
            if (problem is not null) failures++;
        }
        static string? Expect<T>(T got, T want) => EqualityComparer<T>.Default.Equals(got, want) ? null : $"got {got}, expected {want}";

        // Known answers computed by circomlibjs 0.1.7 and ethers 6.17.0 (see accel/tests/vectors).
        Check("Poseidon([1,2]) = circomlibjs", () => Expect(Poseidon.Hash(Fr.One, Fr.FromUInt64(2)).ToString(),
            "7853200120776062878684798364095072458815029376092732009249414926327459813530"));
        Check("EdDSA-Poseidon public key = circomlibjs prv2pub", () =>
        {
            var key = Convert.FromHexString("0001020304050607080900010203040506070809000102030405060708090001");
            return Expect(EdDsaPoseidon.PrivateToPublic(key).X.ToString(), "13277427435165878497778222415993513565335242147425444199013288855685581939618");
        });
        Check("EdDSA-Poseidon sign then verify; other message fails", () =>
        {
            var key = Convert.FromHexString("0001020304050607080900010203040506070809000102030405060708090001");
            var a = EdDsaPoseidon.PrivateToPublic(key);
            var s = EdDsaPoseidon.Sign(key, Fr.FromUInt64(1234));
            return EdDsaPoseidon.Verify(Fr.FromUInt64(1234), s, a) && !EdDsaPoseidon.Verify(Fr.FromUInt64(1235), s, a) ? null : "verification disagrees";
        });
        Check("Keccak-256(\"\") = ethers", () => Expect(Convert.ToHexStringLower(Keccak256.Hash([])), "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"));
        Check("secp256k1 address of anvil's first key; sign/recover", () =>
        {
            var k = Secp256k1PrivateKey.FromHex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
            var digest = Keccak256.Hash("validium"u8);
            var sig = k.Sign(digest);
            return Expect(k.Address.ToString(), "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266") ?? Expect(EthereumEcdsa.Recover(digest, sig), k.Address);
        });
        Check("pairing: e(aG1, bG2) = e(abG1, G2), e(G1, G2) != 1", () =>
        {
            var rng = new Random(1);
            Fr a = Fr.Random(rng), b = Fr.Random(rng);
            bool bilinear = Pairing.PairingCheck([(G1Affine.Generator * a, G2Jacobian.Generator.Multiply(b).ToAffine()), ((G1Affine.Generator * (a * b)).Negate(), G2Affine.Generator)]);
            bool nonDegenerate = !Pairing.PairingCheck([(G1Affine.Generator, G2Affine.Generator)]);
            return bilinear && nonDegenerate ? null : $"bilinear {bilinear}, non-degenerate {nonDegenerate}";
        });

        using var registry = AccelSetup.CreateRegistry(emulate, stderr);
        var (points, scalars) = MsmInputs.Generate(1 << 10, 3);
        var reference = registry.Cpu.MsmG1(points, scalars);
        var rng2 = new Random(4);
        var coeffs = Enumerable.Range(0, 1 << 10).Select(_ => Fr.Random(rng2)).ToArray();
        var hashIn = Enumerable.Range(0, 2 * 512).Select(_ => Fr.Random(rng2)).ToArray();
        foreach (var b in registry.Backends)
        {
            var caps = b.Capabilities;
            if (caps.Supports(AccelOp.MsmG1))
                Check($"{b.Device}: MSM 2^10", () => b.MsmG1(points, scalars) == reference ? null : "differs from the reference");
            if (caps.Supports(AccelOp.Ntt))
                Check($"{b.Device}: NTT 2^10 forward then inverse", () =>
                {
                    var w = (Fr[])coeffs.Clone();
                    b.Ntt(w, NttOptions.Forward);
                    var cpu = (Fr[])coeffs.Clone();
                    registry.Cpu.Ntt(cpu, NttOptions.Forward);
                    if (!w.AsSpan().SequenceEqual(cpu)) return "forward differs from the CPU";
                    b.Ntt(w, NttOptions.InverseTransform);
                    return w.AsSpan().SequenceEqual(coeffs) ? null : "inverse does not give the input back";
                });
            if (caps.Supports(AccelOp.PoseidonBatch))
                Check($"{b.Device}: 512 Poseidon hashes", () =>
                {
                    var o = new Fr[512];
                    b.PoseidonBatch(hashIn, 2, o);
                    for (int i = 0; i < o.Length; i++)
                        if (o[i] != Poseidon.Hash(hashIn[2 * i], hashIn[2 * i + 1])) return $"hash {i} differs";
                    return null;
                });
        }
        stdout.WriteLine(failures == 0 ? "selfcheck: all checks passed" : $"selfcheck: {failures} check(s) FAILED");
        return failures == 0 ? 0 : 1;
    }
}
