using System.Globalization;
using Validium.Batcher;
using Validium.DevNet;

namespace Validium.Node;

/// <summary>
/// The settings a devnet manifest (devnet.json) gives a node that joins it: the RPC and chain id, the contracts and
/// the deployment block, the operator's keystore and password file, the committee, the batcher directory whose keys
/// the deployed verifier checks (and so its circuit), and the instruments in listing order. L1 is enabled.
/// </summary>
public static class DevNetSettings
{
    public const string ManifestKey = "Devnet:Manifest";

    /// <summary>The manifest's settings as configuration keys; a missing or damaged manifest or batcher directory is a <see cref="NodeConfigurationException"/>.</summary>
    public static Dictionary<string, string?> Read(string manifestPath)
    {
        DevNetManifest m;
        BatchStore store;
        try
        {
            m = DevNetManifest.Read(manifestPath);
            store = BatchStore.Open(m.Resolve(m.BatcherDir));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new NodeConfigurationException([$"{ManifestKey}: {e.Message}"]);
        }
        var c = store.Config;
        var s = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["L1:Enabled"] = "true",
            ["L1:Rpc"] = m.Rpc,
            ["L1:ChainId"] = Text(m.ChainId),
            ["L1:Validium"] = m.Contracts.Validium,
            ["L1:Oracle"] = m.Contracts.Oracle,
            ["L1:StartBlock"] = Text(m.Contracts.DeploymentBlock),
            ["L1:OperatorKeyFile"] = m.Resolve(m.Operator.Keystore),
            ["L1:OperatorPasswordFile"] = m.Resolve(m.PasswordFile),
            ["Committee:Members"] = string.Join(',', m.Committee.Members.OrderBy(x => x.Index).Select(x => x.Url)),
            ["Committee:Threshold"] = Text(m.Committee.Threshold),
            ["Batcher:Directory"] = store.Directory,
            ["Circuit:AccountDepth"] = Text(c.AccountDepth),
            ["Circuit:PositionsDepth"] = Text(c.PositionsDepth),
            ["Circuit:FillDepth"] = Text(c.FillDepth),
            ["Circuit:FeeAccount"] = Text((long)c.FeeAccount),
            ["Circuit:Deposits"] = Text(c.Shape.Deposits),
            ["Circuit:Trades"] = Text(c.Shape.Trades),
            ["Circuit:Withdrawals"] = Text(c.Shape.Withdrawals),
            ["Circuit:Forced"] = Text(c.Shape.Forced),
            ["Circuit:Liquidations"] = Text(c.Shape.Liquidations),
            ["Circuit:Funding"] = Text(c.Shape.Funding),
            ["Exchange:FundingPeriodMs"] = Text(Math.Max(1, c.FundingPeriodSeconds) * 1000),
            ["Circuit:Expiries"] = Text(c.Shape.Expiries),
            ["Circuit:LiquidatorAccount"] = Text((long)c.LiquidatorAccount),
            ["Circuit:InsuranceAccount"] = Text((long)c.InsuranceAccount),
            ["Circuit:LiquidationPenaltyPpm"] = Text(c.LiquidationPenaltyPpm),
            // The devnet made the keys; a node must never make others for it.
            ["Circuit:DevSeed"] = "",
        };
        for (int i = 0; i < m.Instruments.Length; i++)
        {
            var spec = m.Instruments[i].Spec;
            string p = $"Instruments:{i}:";
            s[p + "Kind"] = spec.Kind.ToString();
            s[p + "Underlying"] = Text(spec.Underlying);
            s[p + "TickSize"] = Text(spec.TickSize);
            s[p + "LotSize"] = Text(spec.LotSize);
            s[p + "QuantityDecimals"] = Text(spec.QuantityDecimals);
            s[p + "MinQuantity"] = Text(spec.MinQuantity);
            s[p + "MaxQuantity"] = Text(spec.MaxQuantity);
            s[p + "MaxPrice"] = Text(spec.MaxPrice);
            s[p + "MaxPosition"] = Text(spec.MaxPosition);
            s[p + "MakerFeePpm"] = Text(spec.MakerFeePpm);
            s[p + "TakerFeePpm"] = Text(spec.TakerFeePpm);
            s[p + "InitialMarginPpm"] = Text(spec.InitialMarginPpm);
            s[p + "MaintenanceMarginPpm"] = Text(spec.MaintenanceMarginPpm);
            s[p + "BandPpm"] = Text(spec.BandPpm);
            s[p + "PremiumCapPpm"] = Text(spec.PremiumCapPpm);
            s[p + "FundingCapPpm"] = Text(spec.FundingCapPpm);
            if (spec.IsOption)
            {
                s[p + "Strike"] = Text(spec.Strike);
                s[p + "Expiry"] = Text(spec.Expiry);
            }
        }
        return s;
    }

    private static string Text(long v) => v.ToString(CultureInfo.InvariantCulture);
}
