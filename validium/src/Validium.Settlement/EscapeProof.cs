using System.Text.Json;
using System.Text.Json.Nodes;
using Validium.Circuits.Witness;
using Validium.State;

namespace Validium.Settlement;

/// <summary>
/// What Validium.escapeWithdraw needs for one account of a recovered state (SPEC.md, "Escape"): the account leaf's
/// fields, every non-empty position (instruments ascending), and the account's Merkle siblings, leaf level first.
/// The caller adds the recipient and the key's signature over the escape message.
/// </summary>
public static class EscapeProof
{
    public static JsonObject Build(StateStore store, StateSnapshot snapshot, ulong account)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(snapshot);
        var cfg = snapshot.Config;
        if (!TreeShape.Contains(cfg.AccountDepth, account)) throw new ArgumentException($"account {account} is outside an account tree of depth {cfg.AccountDepth}");
        var data = snapshot.Mirror.Account(account) ?? throw new ArgumentException($"account {account} is empty in the state of batch {snapshot.BatchNumber}: there is nothing to escape with");
        var proof = store.Tree(TreeId.Accounts, cfg.AccountDepth).Prove(account);
        // The proof must be of this leaf under the snapshot's root, the one L1 holds: anything else would revert on chain.
        if (proof.Leaf != data.Leaf(cfg.PositionsDepth).Hash() || !proof.Verify(snapshot.Root))
            throw new InvalidDataException($"the state database does not prove account {account} under the snapshot's root {snapshot.Root}");
        var positions = new JsonArray();
        for (int i = 0; i < data.Positions.Length; i++)
        {
            var p = data.Positions[i];
            if (p.IsFlat) continue;
            positions.Add(new JsonObject { ["instrument"] = i, ["size"] = p.Size, ["openNotional"] = p.OpenNotional, ["fundingIndex"] = p.FundingIndex });
        }
        var siblings = new JsonArray();
        foreach (var s in proof.Siblings) siblings.Add(s.ToString());
        return new JsonObject
        {
            ["batchNumber"] = snapshot.BatchNumber,
            ["root"] = snapshot.Root.ToString(),
            ["account"] = account,
            ["leaf"] = new JsonObject
            {
                ["ax"] = data.Key.X.ToString(),
                ["ay"] = data.Key.Y.ToString(),
                ["nonce"] = data.Nonce,
                ["collateral"] = data.Collateral,
            },
            ["positions"] = positions,
            ["siblings"] = siblings,
        };
    }

    public static string ToJson(JsonObject proof) => proof.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
