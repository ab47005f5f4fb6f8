using System.Text.Json;
using System.Text.Json.Nodes;
using Validium.Crypto;
using Validium.Proving.Tests;

namespace Validium.State.Tests;

/// <summary>Roots, proofs, empty roots and leaf hashes against circomlibjs' poseidon (vectors/state-check.mjs).</summary>
public class CircomlibCrossCheckTests
{
    private const string Script = "validium/tests/Validium.State.Tests/vectors/state-check.mjs";

    private static readonly (ulong Index, Fr Value)[][] Batches =
    [
        [(3, 5), (7, 9), (0, Fr.Parse("21888242871839275222246405745257275088548364400416034343698204186575808495616")), (15, 1)],
        [(3, 6), (8, Fr.Parse("1234567890123456789012345678901234567890")), (7, 0)],
    ];

    [SkippableTheory]
    [InlineData(4)]
    [InlineData(32)]
    public void TreeRootsAndProofsMatchCircomlibjs(int depth)
    {
        using var temp = new TempStore();
        var tree = temp.Store.Tree(TreeId.Accounts, depth);
        ulong top = depth == 4 ? 15 : (1UL << depth) - 1;
        var batches = Batches.Select(b => b.Select(u => (u.Index == 15 ? top : u.Index, u.Value)).ToArray()).ToArray();
        var written = new List<(ulong, Fr)>();
        var roots = new List<JsonNode?>();
        var prove = new ulong[] { 0, 3, 7, 8, 9, top };
        var requests = new JsonArray();
        foreach (var b in batches)
        {
            tree.Update(temp.NextBatch, b.Select(u => new LeafUpdate(u.Item1, u.Item2)).ToList());
            written.AddRange(b);
            requests.Add(new JsonObject
            {
                ["depth"] = depth,
                ["leaves"] = new JsonArray(written.Select(w => (JsonNode)new JsonArray(w.Item1.ToString(), w.Item2.ToString())).ToArray()),
                ["prove"] = new JsonArray(prove.Select(i => (JsonNode)i.ToString()).ToArray()),
            });
        }
        var answer = Ask(new JsonObject { ["trees"] = requests, ["emptyRoots"] = new JsonArray(1, depth) });

        Assert.Equal(Fr.Parse((string)answer["emptyRoots"]![1]!), tree.EmptyRoot);
        Assert.Equal(Fr.Parse((string)answer["emptyRoots"]![0]!), ZeroHashes.At(1));
        var trees = answer["trees"]!.AsArray();
        for (int b = 0; b < batches.Length; b++)
            Assert.Equal(Fr.Parse((string)trees[b]!["root"]!), tree.RootAt((ulong)b + 1));
        var last = trees[^1]!;
        Assert.Equal(Fr.Parse((string)last["root"]!), tree.Root);
        foreach (var p in last["proofs"]!.AsArray())
        {
            var proof = tree.Prove(ulong.Parse((string)p!["index"]!));
            Assert.Equal(Fr.Parse((string)p["leaf"]!), proof.Leaf);
            Assert.Equal(p["siblings"]!.AsArray().Select(s => Fr.Parse((string)s!)).ToArray(), proof.Siblings.ToArray());
            Assert.True(proof.Verify(tree.Root));
        }
    }

    [SkippableFact]
    public void LeafHashesMatchCircomlibjs()
    {
        var accounts = new[]
        {
            new AccountLeaf(Fr.Parse("5299619240641551281634865583518297030282874472190772894086521144482721001553"),
                Fr.Parse("16950150798460657717958625567821834550301663161624707787222815936182638968203"), 7, -1_500_000, ZeroHashes.EmptyRoot(8)),
            new AccountLeaf(Fr.One, Fr.Zero, ulong.MaxValue, long.MinValue, Fr.Parse("42")),
            new AccountLeaf(-Fr.One, Fr.One, 0, long.MaxValue, Fr.Zero),
        };
        var positions = new[] { PositionLeaf.Flat, new PositionLeaf(-3, 2_500_000_000, -17), new PositionLeaf(long.MaxValue, long.MinValue, 0), new PositionLeaf(0, 0, 1) };
        var fills = new[] { new OrderFillLeaf(Fr.Parse("987654321987654321987654321"), 5), new OrderFillLeaf(-Fr.One, ulong.MaxValue), new OrderFillLeaf(Fr.One, 0) };
        var answer = Ask(new JsonObject
        {
            ["accounts"] = new JsonArray(accounts.Select(a => (JsonNode)new JsonObject
            {
                ["ax"] = a.PubKeyAx.ToString(), ["ay"] = a.PubKeyAy.ToString(), ["nonce"] = a.Nonce.ToString(),
                ["collateral"] = a.Collateral.ToString(), ["positionsRoot"] = a.PositionsRoot.ToString(),
            }).ToArray()),
            ["positions"] = new JsonArray(positions.Select(p => (JsonNode)new JsonObject
            {
                ["size"] = p.Size.ToString(), ["openNotional"] = p.OpenNotional.ToString(), ["fundingIndex"] = p.FundingIndex.ToString(),
            }).ToArray()),
            ["fills"] = new JsonArray(fills.Select(f => (JsonNode)new JsonObject { ["orderHash"] = f.OrderHash.ToString(), ["filled"] = f.FilledSize.ToString() }).ToArray()),
        });
        Assert.Equal(answer["accounts"]!.AsArray().Select(s => Fr.Parse((string)s!)), accounts.Select(a => a.Hash()));
        Assert.Equal(answer["positions"]!.AsArray().Select(s => Fr.Parse((string)s!)), positions.Select(p => p.Hash()));
        Assert.Equal(answer["fills"]!.AsArray().Select(s => Fr.Parse((string)s!)), fills.Select(f => f.Hash()));
    }

    private static JsonNode Ask(JsonObject request)
    {
        var root = NodeTool.RequireNode("circomlibjs");
        var file = Path.Combine(Path.GetTempPath(), $"state-check-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, request.ToJsonString());
        try
        {
            var (code, output, err) = NodeTool.Run(root, TimeSpan.FromSeconds(60), Script, file);
            Assert.True(code == 0, $"state-check.mjs failed ({code}): {err}");
            return JsonNode.Parse(output) ?? throw new JsonException("state-check.mjs printed nothing");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
