using System.CommandLine;
using Validium.Proving.Solidity;

namespace Validium.Cli;

/// <summary>`vld contracts …`: generated Solidity sources for the L1 contracts.</summary>
internal static class ContractsCommands
{
    public static Command Build(TextWriter stdout)
    {
        var contracts = new Command("contracts", "Generated Solidity for the L1 contracts");
        contracts.Subcommands.Add(GenPoseidon(stdout));
        contracts.Subcommands.Add(GenSponge(stdout));
        return contracts;
    }

    private static Command GenPoseidon(TextWriter stdout)
    {
        var width = new Option<int>("--width") { Description = $"Poseidon state width t (t - 1 inputs), {Validium.Crypto.PoseidonParameters.MinWidth}..{PoseidonEmitter.MaxWidth}", DefaultValueFactory = _ => 3 };
        var outFile = new Option<FileInfo>("--out") { Description = "Solidity file to write, e.g. validium/contracts/PoseidonT3.sol", Required = true };
        var cmd = new Command("gen-poseidon", "Write the Solidity computing circomlib's Poseidon with our generated constants (one contract, plus parts it deploys where the code passes 24 KB)") { width, outFile };
        cmd.SetAction(r =>
        {
            int t = r.GetValue(width);
            if (t is < Validium.Crypto.PoseidonParameters.MinWidth or > PoseidonEmitter.MaxWidth)
                throw new UsageException($"--width must be within {Validium.Crypto.PoseidonParameters.MinWidth}..{PoseidonEmitter.MaxWidth}, got {t}");
            var file = r.GetValue(outFile)!;
            File.WriteAllText(file.FullName, PoseidonEmitter.Emit(t));
            stdout.WriteLine($"gen-poseidon: {file.Name}, contracts {string.Join(", ", PoseidonEmitter.ContractNames(t))} ({t - 1} inputs)");
            return 0;
        });
        return cmd;
    }

    private static Command GenSponge(TextWriter stdout)
    {
        var outFile = new Option<FileInfo>("--out") { Description = "Solidity file to write, e.g. validium/contracts/PoseidonSponge.sol", Required = true };
        var cmd = new Command("gen-sponge", "Write the Solidity computing the batch data commitment (Poseidon sponge, t = 17) on-chain, with its constants in separate contracts") { outFile };
        cmd.SetAction(r =>
        {
            var file = r.GetValue(outFile)!;
            File.WriteAllText(file.FullName, PoseidonSpongeEmitter.Emit());
            stdout.WriteLine($"gen-sponge: {file.Name}, contracts {string.Join(", ", PoseidonSpongeEmitter.ContractNames())}");
            return 0;
        });
        return cmd;
    }
}
