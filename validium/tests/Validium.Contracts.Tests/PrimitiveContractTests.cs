using System.Text.Json.Nodes;
using Validium.Crypto;
using Validium.Proving.Solidity;
using Xunit.Abstractions;

namespace Validium.Contracts.Tests;

/// <summary>The generated Poseidon contracts and the EdDSA-Poseidon verifier against Validium.Crypto and circomlibjs.</summary>
public class PrimitiveContractTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void OnChainPoseidonEqualsValidiumCryptoAndCircomlibjs()
    {
        // poseidon.mjs has already asserted circomlibjs's hash for every row; here the same rows against ours. Width 2,
        // which no contract uses, is generated here so that the emitter's narrowest output runs too.
        var dir = Directory.CreateTempSubdirectory("vld-poseidon-");
        try
        {
            var t2 = Path.Combine(dir.FullName, "PoseidonT2.sol");
            File.WriteAllText(t2, PoseidonEmitter.Emit(2));
            var result = ContractScript.Run(output, null, "poseidon.mjs", t2);
            foreach (var t in new[] { 2, 3, 4, 5, 6 })
            {
                var width = result[t.ToString()] ?? throw new Xunit.Sdk.XunitException($"no results for t = {t}");
                var rows = width["rows"]!.AsArray();
                Assert.Equal(7, rows.Count);
                foreach (var row in rows)
                {
                    var inputs = row!["inputs"]!.AsArray().Select(x => Fr.Parse(x!.GetValue<string>())).ToArray();
                    Assert.Equal(Poseidon.Hash(inputs).ToString(), row["hash"]!.GetValue<string>());
                }
                Assert.Equal($"InputNotInField({t - 2})", width["nonCanonical"]!.GetValue<string>());
                output.WriteLine($"PoseidonT{t}.hash: {rows[0]!["gas"]} gas per transaction (incl. 21,000 base and calldata)");
            }
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [SkippableFact]
    public void CheckedInPoseidonContractsAreWhatTheGeneratorWrites()
    {
        var dir = Path.Combine(ContractScript.RepositoryRoot(), "validium", "contracts");
        foreach (var t in new[] { 3, 4, 5, 6 })
            Assert.True(File.ReadAllText(Path.Combine(dir, $"PoseidonT{t}.sol")) == PoseidonEmitter.Emit(t),
                $"PoseidonT{t}.sol is stale: vld contracts gen-poseidon --width {t} --out validium/contracts/PoseidonT{t}.sol");
    }

    [Fact]
    public void GeneratorRefusesWidthsItCannotServe()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PoseidonEmitter.Emit(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PoseidonEmitter.Emit(PoseidonEmitter.MaxWidth + 1));
    }

    [SkippableFact]
    public void OnChainEdDsaAcceptsCircomlibjsSignaturesOnly()
    {
        var result = ContractScript.Run(output, null, "eddsa.mjs");
        Assert.Equal(8, result["cases"]!.AsArray().Count);
        foreach (var c in result["cases"]!.AsArray())
        {
            Assert.True(c!["valid"]!.GetValue<bool>());
            Assert.All(c["tampered"]!.AsArray(), x => Assert.False(x!.GetValue<bool>()));
        }
        // Keys outside the prime-order subgroup and of small order: the contract answers as circomlibjs does, both ways.
        var differential = result["differential"]!.AsArray();
        Assert.All(differential, d => Assert.Equal(d!["circomlibjs"]!.GetValue<bool>(), d["contract"]!.GetValue<bool>()));
        Assert.Contains(differential, d => d!["contract"]!.GetValue<bool>());
        Assert.Contains(differential, d => !d!["contract"]!.GetValue<bool>());
        output.WriteLine($"EdDsaPoseidonVerifier.verify: {result["gas"]} gas per transaction");
    }
}

/// <summary>build.mjs, the artifacts the deploy command will read.</summary>
public class BuildScriptTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void WritesAbiAndBytecodeForEveryContractWithinTheSizeLimit()
    {
        var root = ContractScript.RepositoryRoot();
        Skip.IfNot(Directory.Exists(Path.Combine(root, "node_modules", "solc")), "node_modules/solc is missing: run npm ci");
        var dir = Directory.CreateTempSubdirectory("vld-contracts-out-");
        try
        {
            var psi = new System.Diagnostics.ProcessStartInfo("node") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "validium/contracts/build.mjs", "--out", dir.FullName }) psi.ArgumentList.Add(a);
            using var p = System.Diagnostics.Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            output.WriteLine(p.StandardOutput.ReadToEnd());
            Assert.True(p.WaitForExit(TimeSpan.FromMinutes(2)), "build.mjs did not finish in 2 minutes");
            Assert.True(p.ExitCode == 0, err.Result);
            var poseidon = new[] { 3, 4, 5, 6 }.SelectMany(PoseidonEmitter.ContractNames);
            foreach (var name in new[] { "Validium", "PriceOracle", "EdDsaPoseidonVerifier", "TestToken" }.Concat(poseidon))
            {
                var artifact = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.FullName, name + ".json")))!;
                Assert.Equal(name, artifact["contractName"]!.GetValue<string>());
                Assert.NotEmpty(artifact["abi"]!.AsArray());
                var code = artifact["deployedBytecode"]!.GetValue<string>();
                Assert.InRange((code.Length - 2) / 2, 100, 24_576);
                var creation = artifact["bytecode"]!.GetValue<string>();
                Assert.InRange((creation.Length - 2) / 2, 100, 49_152);
            }
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
