using System.Text.Json;
using Validium.Batcher;
using Validium.Circuits;
using Validium.Exchange;
using Validium.Node.Client;
using Validium.Node.Exchange;
using Validium.Proving.Formats;

namespace Validium.Node.Api;

/// <summary>The node's views in the wire's shapes (Validium.Node.Client's contracts).</summary>
internal static class Dto
{
    public static InstrumentDto Instrument(InstrumentInfo i) =>
        new(i.Id, i.Spec, i.MarkPrice, i.IndexPrice, i.FundingIndex, i.BestBid < 0 ? null : i.BestBid, i.BestAsk < 0 ? null : i.BestAsk, i.Expired);

    public static AccountDto Account(AccountState a)
    {
        var s = a.Summary;
        return new AccountDto(s.Id, s.Nonce, s.Collateral, s.TotalValue, s.InitialMargin, s.MaintenanceMargin, s.FreeCollateral, s.OpenOrders,
            a.WithdrawalNonce, a.Key.X.ToString(), a.Key.Y.ToString());
    }

    public static MarginDto Margin(AccountState a) =>
        new(a.Summary.TotalValue, a.Summary.InitialMargin, a.Summary.MaintenanceMargin, a.Summary.FreeCollateral,
            [.. a.Greeks.Select(g => new GreeksDto(g.Underlying, g.Delta, g.Gamma))]);

    public static OrderDto Order(OrderView o) => new(o.OrderId, o.ClientId, o.Instrument, o.Side, o.Price, o.Quantity, o.Filled, o.Type, o.ExpiresAt, o.ReduceOnly, o.Stp);

    public static FillDto Fill(FillView f) => new(f.Sequence, f.Time, f.Instrument, f.OrderId, f.ClientId, f.Side, f.Price, f.Quantity, f.Fee, f.Maker);

    public static BookDto Book(BookDepth b) => new(b.Instrument, b.Sequence, Levels(b.Bids), Levels(b.Asks));

    public static BookDto Book(BookDepth b, int levels) => new(b.Instrument, b.Sequence, Levels(b.Bids.Take(levels)), Levels(b.Asks.Take(levels)));

    private static List<LevelDto> Levels(IEnumerable<DepthLevel> levels) => [.. levels.Select(l => new LevelDto(l.Price, l.Quantity, l.Orders))];

    public static TradeDto Trade(TradeView t) => new(t.Sequence, t.Time, t.Instrument, t.TakerSide, t.Price, t.Quantity, t.Taker, t.Maker);

    public static AccountEventDto AccountEvent(AccountUpdate u) =>
        new(u.Sequence, [.. u.Orders.Select(OrderEvent)], [.. u.Fills.Select(Fill)], u.State is null ? null : Account(u.State));

    private static OrderEventDto OrderEvent(OrderUpdate o) =>
        new(o.Sequence, o.Time, o.Kind, o.Instrument, o.OrderId, o.ClientId, o.Side, o.Price, o.Quantity, o.Kind switch
        {
            EventKind.Cancelled => ((CancelReason)o.Reason).ToString(),
            EventKind.Rejected => ((RejectCode)o.Reason).ToString(),
            _ => null,
        });

    public static BatchSummaryDto BatchSummary(BatchRecord r, IBatchL1Status? l1) =>
        new(r.Number, r.Status.ToString(), r.Reason.ToString(), r.Deposits.Length, r.Trades.Length, r.Withdrawals.Length, r.Through.Sequence,
            r.Oracle.Round, l1?.Get(r.Number), r.Forced.Length);

    public static BatchDto Batch(BatchRecord r, IBatchL1Status? l1)
    {
        var inputs = BatchCircuit.PublicInputNames.Select((name, i) => new PublicInputDto(name, r.PublicInputs[i].ToString())).ToList();
        JsonElement? proof = r.Proof is null ? null : JsonDocument.Parse(SnarkjsJson.WriteProof(r.Proof)).RootElement.Clone();
        return new BatchDto(BatchSummary(r, l1), inputs, proof, r.Proof is null ? null : "0x" + Convert.ToHexStringLower(r.Proof.ToCompressed()));
    }
}
