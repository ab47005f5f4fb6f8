using System.CommandLine;

namespace Validium.Cli;

/// <summary>The `vld` root command; each user-facing job adds its subcommand here.</summary>
public static class VldApp
{
    public static RootCommand Build(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("vld: the Validium appliance's command-line tool");
        root.Subcommands.Add(CryptoCommands.Build(stdout));
        root.Subcommands.Add(AccelCommands.Build(stdout, stderr));
        root.Subcommands.Add(Groth16Commands.Build(stdout, stderr));
        root.Subcommands.Add(JournalCommands.Build(stdout));
        root.Subcommands.Add(StateCommands.Build(stdout, stderr));
        root.Subcommands.Add(ExchangeCommands.Build(stdout));
        root.Subcommands.Add(L1Commands.Build(stdout));
        root.Subcommands.Add(ContractsCommands.Build(stdout));
        root.Subcommands.Add(DacCommands.Build(stdout, stderr));
        root.Subcommands.Add(DevNetCommands.Build(stdout));
        root.Subcommands.Add(BatchCommands.Build(stdout, stderr));
        root.Subcommands.Add(NodeCommands.Build(stdout, stderr));
        root.Subcommands.Add(HwCommands.Build(stdout, stderr));
        foreach (var c in RecoverCommands.Build(stdout, stderr)) root.Subcommands.Add(c);
        root.Subcommands.Add(SelfCheck.Build(stdout, stderr));
        root.Subcommands.Add(DemoCommands.Build(stdout, stderr));
        return root;
    }

    /// <summary>
    /// Runs a command line. Bad input (files, numbers, encodings) ends with one clear line on stderr and
    /// exit code 2; anything else is a bug and keeps its stack trace.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = Build(stdout, stderr);
        var parse = root.Parse(args);
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (ex is UsageException or FormatException or ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"vld: {ex.Message}");
            return 2;
        }
    }
}
