using System.CommandLine;
using Validium.Node;

namespace Validium.Cli;

/// <summary>`vld node …`: the appliance itself.</summary>
internal static class NodeCommands
{
    public static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var node = new Command("node", "The appliance: exchange, batcher and prover behind an HTTP API");
        node.Subcommands.Add(Run(stdout, stderr));
        return node;
    }

    private static Command Run(TextWriter stdout, TextWriter stderr)
    {
        var config = new Option<FileInfo>("--config") { Description = "Settings file replacing DATA/appsettings.json (layers: embedded defaults, this file, VLD_* variables, the command line)" };
        var data = new Option<DirectoryInfo>("--data") { Description = "Data directory (setting DataDir)" };
        var urls = new Option<string>("--urls") { Description = "Listen URLs, comma-separated (setting Api:Urls; port 0 picks a free port)" };
        var devnet = new Option<FileInfo>("--devnet") { Description = "Join a devnet: its devnet.json fills L1, committee, operator key, batcher directory, circuit and instruments (setting Devnet:Manifest)" };
        var set = new Option<string[]>("--set") { Description = "Any setting as KEY=VALUE, e.g. --set Batcher:MaxBatchAgeMs=2000 (repeatable)", AllowMultipleArgumentsPerToken = false };
        var cmd = new Command("run", "Run the node until interrupted (Ctrl+C or SIGTERM stop it gracefully)") { config, data, urls, devnet, set };
        cmd.SetAction(async (r, ct) =>
        {
            var commandLine = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var s in r.GetValue(set) ?? [])
            {
                int eq = s.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0) throw new UsageException($"--set {s}: expected KEY=VALUE");
                commandLine[s[..eq].Trim()] = s[(eq + 1)..].Trim();
            }
            if (r.GetValue(data) is { } d) commandLine["DataDir"] = d.FullName;
            if (r.GetValue(urls) is { } u) commandLine["Api:Urls"] = u;
            if (r.GetValue(devnet) is { } m) commandLine[DevNetSettings.ManifestKey] = m.FullName;
            NodeOptions options;
            try
            {
                options = NodeConfiguration.Load(r.GetValue(config)?.FullName, commandLine);
            }
            catch (NodeConfigurationException e)
            {
                throw new UsageException(e.Message);
            }
            using var registry = AccelSetup.CreateRegistry(allowEmulation: false, stderr);
            NodeHost host;
            try
            {
                host = await NodeHost.StartAsync(options, registry, ct: ct);
            }
            catch (InvalidOperationException e)
            {
                throw new UsageException($"the node did not start: {e.Message}");
            }
            await using (host)
            {
                await stdout.WriteLineAsync($"node listening on {string.Join(", ", host.Urls)}; data in {options.DataDir}");
                await stdout.FlushAsync(CancellationToken.None);
                try
                {
                    await host.WaitForShutdownAsync(ct);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C / SIGTERM: stop cleanly.
                }
            }
            return 0;
        });
        return cmd;
    }
}
