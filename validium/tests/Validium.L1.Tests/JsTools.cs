using System.Text.Json;
using System.Text.Json.Nodes;
using Validium.L1.Abi;

namespace Validium.L1.Tests;

/// <summary>The test contracts compiled by solc, and ethers v6 as the independent implementation to compare against.</summary>
internal static class JsTools
{
    private static readonly Lazy<Dictionary<string, (ContractAbi Abi, JsonElement AbiJson, byte[] Bytecode)>> Compiled = new(Compile);

    public static (ContractAbi Abi, JsonElement AbiJson, byte[] Bytecode) Contract(string name)
    {
        NodeTool.RequireNode("solc");
        return Compiled.Value[name];
    }

    /// <summary>Runs the operations through js/ethers-check.mjs; one answer per operation (see that file for the shapes).</summary>
    public static JsonElement[] Ethers(IEnumerable<object> operations)
    {
        var root = NodeTool.RequireNode("ethers");
        var dir = Directory.CreateTempSubdirectory("ethers-");
        try
        {
            var job = Path.Combine(dir.FullName, "job.json");
            File.WriteAllText(job, JsonSerializer.Serialize(operations));
            var (code, stdout, err) = NodeTool.Run(root, TimeSpan.FromMinutes(2), "validium/tests/Validium.L1.Tests/js/ethers-check.mjs", job);
            Assert.True(code == 0, err);
            return JsonDocument.Parse(stdout).RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
        }
        finally
        {
            dir.Delete(true);
        }
    }

    private static Dictionary<string, (ContractAbi, JsonElement, byte[])> Compile()
    {
        var root = NodeTool.RepositoryRoot();
        var sources = Directory.GetFiles(Path.Combine(root, "validium", "tests", "Validium.L1.Tests", "contracts"), "*.sol");
        var (code, stdout, err) = NodeTool.Run(root, TimeSpan.FromMinutes(3), ["validium/tests/Validium.L1.Tests/js/compile.mjs", .. sources]);
        if (code != 0) throw new InvalidOperationException("solc failed:\n" + err);
        var result = new Dictionary<string, (ContractAbi, JsonElement, byte[])>();
        foreach (var c in JsonDocument.Parse(stdout).RootElement.EnumerateObject())
        {
            var abi = c.Value.GetProperty("abi").Clone();
            result[c.Name] = (ContractAbi.FromJson(abi), abi, Hex.Decode(c.Value.GetProperty("bytecode").GetString()!));
        }
        return result;
    }

    /// <summary>A decoded value in the JSON convention the ethers script speaks (integers as decimal strings, bytes as hex).</summary>
    public static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        System.Numerics.BigInteger b => JsonValue.Create(b.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        bool b => JsonValue.Create(b),
        byte[] bytes => JsonValue.Create(Hex.Encode(bytes)),
        string s => JsonValue.Create(s),
        Validium.Crypto.EthereumAddress a => JsonValue.Create(a.ToString().ToLowerInvariant()),
        object?[] items => new JsonArray(items.Select(ToJson).ToArray()),
        _ => throw new ArgumentException($"no JSON form for {value.GetType()}"),
    };
}
