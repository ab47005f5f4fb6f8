using System.Text.Json;
using System.Text.Json.Nodes;
using Validium.Circuits;
using Validium.Circuits.Witness;

namespace Validium.Cli;

/// <summary>A circuit.json given on the command line (as `vld batch demo` writes it), read once for every command that takes one.</summary>
internal static class CircuitFile
{
    public static CircuitConfig Read(FileInfo file, string option = "--circuit")
    {
        if (!file.Exists) throw new UsageException($"{option} {file.FullName} does not exist");
        try
        {
            return StateSnapshot.ReadConfig(JsonNode.Parse(File.ReadAllText(file.FullName)));
        }
        catch (JsonException e)
        {
            throw new UsageException($"{option} {file.Name} is not JSON: {e.Message}");
        }
        catch (FormatException e)
        {
            throw new UsageException($"{option} {file.Name}: {e.Message}");
        }
    }
}
