using System.Text.Json;
using System.Text.Json.Serialization;

namespace Validium.Demo;

/// <summary>What the progress display shows while the traders trade.</summary>
public sealed record DemoProgress(double Seconds, long Sent, long Accepted, long Rejected, double OrdersPerSecond, double LatencyP50Ms,
    int Trades, int BatchesCut, int BatchesProven, int BatchesOnL1, double? LastProofSeconds);

/// <summary>Percentiles of one latency, in milliseconds.</summary>
public sealed record Percentiles(int Count, double P50, double P90, double P99, double Max)
{
    public static Percentiles Of(IReadOnlyList<double> values) => new(values.Count, OrderLog.Quantile(values, 0.5), OrderLog.Quantile(values, 0.9),
        OrderLog.Quantile(values, 0.99), values.Count == 0 ? double.NaN : values.Max());
}

/// <summary>One batch this run put on L1.</summary>
public sealed record BatchFigures(ulong Number, int Deposits, int Trades, int Withdrawals, double? ProofSeconds, double? AttestationMs, ulong? GasUsed, string? Transaction)
{
    /// <summary>How many of <see cref="Trades"/> were in an option.</summary>
    public int OptionTrades { get; init; }

    /// <summary>How many of <see cref="Trades"/> filled an amended order, proven from the amend's signature.</summary>
    public int AmendedTrades { get; init; }
}

/// <summary>The withdrawal shown end to end: signed through the API, proven in a batch, claimed on L1.</summary>
public sealed record WithdrawalFigures(int Account, string Recipient, ulong Amount, ulong Batch, string ClaimTransaction, string BalanceBefore, string BalanceAfter);

/// <summary>One account's escape: what the last proven state says it is worth and what the frozen contract paid.</summary>
public sealed record EscapeFigures(int Account, string Expected, string Paid, bool Matches);

/// <summary>The run's summary, printed at the end and written to summary.json.</summary>
public sealed record DemoSummary
{
    public required bool Quick { get; init; }
    public required int Makers { get; init; }
    public required int Takers { get; init; }
    public int LoadTraders { get; init; }
    public required double TradingSeconds { get; init; }
    public required long OrdersSent { get; init; }
    public required long OrdersAccepted { get; init; }
    public required long OrdersRejected { get; init; }
    public string? LastRejection { get; init; }
    public required double OrdersPerSecond { get; init; }
    /// <summary>Request sent to the node's answer (journaled with fsync, applied), as a trader sees it over HTTP.</summary>
    public required Percentiles OrderLatencyMs { get; init; }
    /// <summary>A taker's accepted order to the confirmation on L1 of the batch holding its trade.</summary>
    public required Percentiles TradeToL1Ms { get; init; }
    public required int Trades { get; init; }
    public required IReadOnlyList<BatchFigures> Batches { get; init; }
    public required int BatchesProven { get; init; }
    public required int BatchesOnL1 { get; init; }
    /// <summary>submitBatch gas over the trades of those batches (the withdrawal's batch not included).</summary>
    public required double? GasPerTrade { get; init; }
    public required Percentiles ProofSeconds { get; init; }
    public required Percentiles AttestationMs { get; init; }
    /// <summary>Trades in calls and puts, of <see cref="Trades"/> (so proven and on L1 alike).</summary>
    public required int OptionTrades { get; init; }
    /// <summary>IOCs the market makers sent to bring inventory back, perpetuals on their whole delta (options included).</summary>
    public required long Hedges { get; init; }
    /// <summary>Quotes the market makers moved with a signed amend.</summary>
    public required long Amends { get; init; }
    /// <summary>Trades of <see cref="Trades"/> that filled an amended order.</summary>
    public required int AmendedTrades { get; init; }
    public WithdrawalFigures? Withdrawal { get; init; }
    public IReadOnlyList<EscapeFigures>? Escape { get; init; }
    public required string Chart { get; init; }
    public required double TotalSeconds { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public void Write(string path)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(this, Json));
        File.Move(tmp, path, overwrite: true);
    }

    public static DemoSummary Read(string path) =>
        JsonSerializer.Deserialize<DemoSummary>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} holds null");

    /// <summary>The summary as the terminal shows it.</summary>
    public IEnumerable<string> Lines()
    {
        yield return $"traders          {Makers} market maker(s), {Takers} taker(s){(LoadTraders > 0 ? $", {LoadTraders} load trader(s)" : "")}, {TradingSeconds:F0} s of trading";
        yield return $"orders           {OrdersSent:N0} sent, {OrdersAccepted:N0} accepted, {OrdersRejected:N0} refused{(LastRejection is null ? "" : $" (last: {LastRejection})")}";
        yield return $"throughput       {OrdersPerSecond:F1} accepted orders/s through the API";
        yield return $"order latency    p50 {OrderLatencyMs.P50:F1} ms, p90 {OrderLatencyMs.P90:F1} ms, p99 {OrderLatencyMs.P99:F1} ms, max {OrderLatencyMs.Max:F1} ms (sent to answer, fsynced)";
        yield return $"trades           {Trades:N0} in {Batches.Count} batch(es): {Trades - OptionTrades:N0} in perpetuals, {OptionTrades:N0} in options";
        yield return $"batches          {BatchesProven} proven, {BatchesOnL1} verified on L1 (Groth16 proof and committee signatures checked by the contract)";
        yield return $"gas per trade    {(GasPerTrade is { } g ? $"{g:N0}" : "-")} (submitBatch gas over the batches' trades)";
        yield return $"proof time       p50 {ProofSeconds.P50:F2} s, max {ProofSeconds.Max:F2} s";
        yield return $"attestation      p50 {AttestationMs.P50:F0} ms, max {AttestationMs.Max:F0} ms (committee threshold signatures)";
        yield return $"trade to L1      p50 {TradeToL1Ms.P50 / 1000:F1} s, p90 {TradeToL1Ms.P90 / 1000:F1} s, max {TradeToL1Ms.Max / 1000:F1} s (taker's order accepted to its batch confirmed on L1)";
        yield return $"amends           {Amends:N0} quote(s) moved with a signed amend; {AmendedTrades:N0} trade(s) filled an amended order, proven from the amend's signature";
        yield return $"options          BTC call and put, marked by the devnet oracle's model, quoted two-sided by the makers; {Hedges:N0} hedge order(s) (perpetuals hedged on the whole delta)";
        if (Withdrawal is { } w)
            yield return $"withdrawal       account {w.Account}: {w.Amount:N0} micro-USD in batch {w.Batch}, claimed on L1 by {w.Recipient} (token balance {w.BalanceBefore} -> {w.BalanceAfter})";
        if (Escape is { } e)
            yield return $"escape hatch     {e.Count(x => x.Matches)} of {e.Count} account(s) paid exactly their last proven value";
        yield return $"chart            {Chart}";
    }
}
