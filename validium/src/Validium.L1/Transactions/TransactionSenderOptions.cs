using System.Numerics;

namespace Validium.L1.Transactions;

public sealed record TransactionSenderOptions
{
    /// <summary>How often a pending transaction's receipt is asked for.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A transaction with no receipt this long after its last send is replaced (same nonce, higher fees).</summary>
    public TimeSpan ReplaceAfter { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Blocks that must exist on top of the receipt's, counting its own: 1 = mined.</summary>
    public int Confirmations { get; init; } = 1;

    /// <summary>Fee increase per replacement in per mille; nodes require at least 10 % (geth) to 12.5 %, so 125 is the floor.</summary>
    public int FeeBumpPerMille { get; init; } = 125;

    /// <summary>maxFeePerGas never goes above this; a replacement that would is not sent (and is logged).</summary>
    public BigInteger MaxFeePerGasCap { get; init; } = BigInteger.Parse("500000000000", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Priority fee to offer; null asks the node (eth_maxPriorityFeePerGas).</summary>
    public BigInteger? PriorityFeePerGas { get; init; }

    /// <summary>Gas limit = eth_estimateGas × (1 + margin/100) when the request does not set one.</summary>
    public int GasLimitMarginPercent { get; init; } = 20;

    public void Validate()
    {
        if (PollInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(PollInterval), "must be positive");
        if (ReplaceAfter <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ReplaceAfter), "must be positive");
        if (Confirmations < 1) throw new ArgumentOutOfRangeException(nameof(Confirmations), "at least 1 (mined)");
        if (FeeBumpPerMille < 125) throw new ArgumentOutOfRangeException(nameof(FeeBumpPerMille), "a replacement must raise fees by at least 12.5 % (125 per mille) or nodes refuse it");
        if (MaxFeePerGasCap.Sign <= 0) throw new ArgumentOutOfRangeException(nameof(MaxFeePerGasCap), "must be positive");
        if (GasLimitMarginPercent is < 0 or > 1000) throw new ArgumentOutOfRangeException(nameof(GasLimitMarginPercent), "0..1000");
    }
}
