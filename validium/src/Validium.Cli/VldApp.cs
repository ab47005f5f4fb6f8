using System.CommandLine;

namespace Validium.Cli;

/// <summary>The `vld` root command; each user-facing job adds its subcommand here.</summary>
public static class VldApp
{
    public static RootCommand Build(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("vld: the Validium appliance's command-line tool");
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = Build(stdout, stderr);
        var parse = root.Parse(args);
        return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}
