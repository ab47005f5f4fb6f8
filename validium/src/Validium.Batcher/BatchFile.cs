using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Validium.Circuits.Witness;
using Validium.Crypto;
using Validium.Exchange;
using Validium.Proving.Formats;

namespace Validium.Batcher;

/// <summary>
/// A batch record's bytes: one header line <c>validium-batch 1 &lt;sha256 of the body, hex&gt; &lt;body length&gt;</c>,
/// then the body as JSON (field elements and big numbers as decimal strings, orders as their canonical
/// <see cref="CommandCodec"/> bytes in hex, the proof in snarkjs's proof.json form). The checksum turns a torn or
/// damaged file into a clear error instead of a wrong proof; JSON keeps a batch readable with ordinary tools.
/// </summary>
public static class BatchFile
{
    private const string Magic = "validium-batch";
    private const int Version = 1;

    public static byte[] Write(BatchRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var body = JsonSerializer.SerializeToUtf8Bytes(ToDto(r), Options);
        var header = Encoding.ASCII.GetBytes($"{Magic} {Version} {Convert.ToHexStringLower(SHA256.HashData(body))} {body.Length}\n");
        return [.. header, .. body];
    }

    /// <summary>Reads and checks a record; anything wrong is an <see cref="InvalidDataException"/> naming <paramref name="source"/>.</summary>
    public static BatchRecord Read(ReadOnlySpan<byte> data, string source)
    {
        int nl = data.IndexOf((byte)'\n');
        if (nl < 0 || nl > 200) throw Damaged(source, "no header line");
        var header = Encoding.ASCII.GetString(data[..nl]).Split(' ');
        if (header.Length != 4 || header[0] != Magic) throw Damaged(source, "not a batch record (bad header line)");
        if (header[1] != Version.ToString(CultureInfo.InvariantCulture)) throw Damaged(source, $"format version {header[1]} is not {Version}");
        var body = data[(nl + 1)..];
        if (!int.TryParse(header[3], NumberStyles.None, CultureInfo.InvariantCulture, out int length) || length != body.Length)
            throw Damaged(source, $"the body is {body.Length} bytes, the header says {header[3]} (a torn write?)");
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(body)), header[2], StringComparison.Ordinal))
            throw Damaged(source, "the body's SHA-256 does not match its header (the file is damaged)");
        BatchRecord record;
        try
        {
            record = FromDto(JsonSerializer.Deserialize<RecordDto>(body, Options) ?? throw new FormatException("empty body"), source);
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or OverflowException)
        {
            throw Damaged(source, e.Message);
        }
        if (record.Validate() is { } problem) throw Damaged(source, problem);
        return record;
    }

    private static InvalidDataException Damaged(string source, string why) => new($"batch record {source}: {why}");

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private sealed record RecordDto(ulong Number, string Status, string Reason, long ThroughSequence, int ThroughIndex, OracleDto Oracle, string OpsHeadBefore,
        DepositDto[] Deposits, TradeDto[] Trades, WithdrawalDto[] Withdrawals, string[] DataWords, Dictionary<string, string> Inputs, string[] PublicInputs,
        string? Proof,
        // Absent from records without liquidations, so those (and files written before liquidation slots) read and write as before.
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] LiquidationDto[]? Liquidations = null,
        ForcedDto[]? Forced = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] FundingDto? Funding = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ExpiryDto[]? Expiries = null);

    private sealed record FundingDto(TickDto[] Ticks, PaymentDto[] Payments);

    private sealed record TickDto(int Instrument, long RatePpm, long Index, ulong MarkPerLot);

    private sealed record PaymentDto(ulong Account, int Instrument, long Amount);

    private sealed record ExpiryDto(ulong Account, int Instrument, long Payout);

    private sealed record MoveDto(ulong To, int Instrument, long Lots, long PriceTicks);

    private sealed record LiquidationDto(ulong Account, long TotalValue, long MaintenanceMargin, long Penalty, MoveDto[] Transfers, long Cover, MoveDto[] Deleveraged,
        long Socialised);

    /// <summary>A forced request as the contract queued it: the L1Operation's word, a, b and c.</summary>
    private sealed record ForcedDto(string Word, string A, string B, string C);

    private sealed record OracleDto(ulong Round, ulong Timestamp, ulong[] Prices);

    private sealed record DepositDto(ulong Account, string Ax, string Ay, ulong Amount, string Depositor);

    private sealed record SignatureDto(string R8x, string R8y, string S);

    private sealed record OrderDto(string Command, SignatureDto Signature);

    private sealed record TradeDto(OrderDto Taker, OrderDto Maker, long PriceTicks, long Lots);

    private sealed record WithdrawalDto(ulong Account, ulong Nonce, ulong Amount, string Recipient, SignatureDto Signature);

    private static RecordDto ToDto(BatchRecord r) => new(
        r.Number, r.Status.ToString(), r.Reason.ToString(), r.Through.Sequence, r.Through.Index,
        new OracleDto(r.Oracle.Round, r.Oracle.Timestamp, [.. r.Oracle.Prices]), r.OpsHeadBefore.ToString(),
        [.. r.Deposits.Select(d => new DepositDto(d.Account, d.Key.X.ToString(), d.Key.Y.ToString(), d.Amount, Dec(d.Depositor)))],
        [.. r.Trades.Select(t => new TradeDto(Order(t.Taker), Order(t.Maker), t.PriceTicks, t.Lots))],
        [.. r.Withdrawals.Select(w => new WithdrawalDto(w.Account, w.Nonce, w.Amount, Dec(w.Recipient), Sig(w.Signature)))],
        [.. r.DataWords.Select(w => w.ToString())],
        r.Inputs.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value.ToString()),
        [.. r.PublicInputs.Select(p => p.ToString())],
        r.Proof is null ? null : SnarkjsJson.WriteProof(r.Proof),
        r.Liquidations.IsEmpty ? null : [.. r.Liquidations.Select(l => new LiquidationDto(l.Account, l.TotalValue, l.MaintenanceMargin, l.Penalty,
            [.. l.Transfers.Select(Move)], l.Cover, [.. l.Deleveraged.Select(Move)], l.Socialised))],
        r.Forced.IsEmpty ? null : [.. r.Forced.Select(f => new ForcedDto(f.Word.ToString(), f.A.ToString(), f.B.ToString(), f.C.ToString()))],
        r.Funding.Ticks.Count == 0 ? null : new FundingDto([.. r.Funding.Ticks.Select(t => new TickDto(t.Instrument, t.RatePpm, t.Index, t.MarkPerLot))],
            [.. r.Funding.Payments.Select(p => new PaymentDto(p.Account, p.Instrument, p.Amount))]),

        r.Expiries.IsEmpty ? null : [.. r.Expiries.Select(x => new ExpiryDto(x.Account, x.Instrument, x.Payout))]);

    private static MoveDto Move(PositionMove m) => new(m.To, m.Instrument, m.Lots, m.PriceTicks);

    private static PositionMove Move(MoveDto m) => new(m.To, m.Instrument, m.Lots, m.PriceTicks);

    private static string Dec(BigInteger v) => v.ToString(CultureInfo.InvariantCulture);

    private static SignatureDto Sig(EdDsaSignature s) => new(s.R8.X.ToString(), s.R8.Y.ToString(), Dec(s.S));

    private static OrderDto Order(SignedOrder o) => new(Convert.ToHexStringLower(CommandCodec.Encode(o.Order)), Sig(o.Signature));

    private static BatchRecord FromDto(RecordDto d, string source) => new()
    {
        Number = d.Number,
        Status = Enum.Parse<BatchStatus>(d.Status),
        Reason = Enum.Parse<CutReason>(d.Reason),
        Through = new StreamPosition(d.ThroughSequence, d.ThroughIndex),
        Oracle = new OracleRound(d.Oracle.Round, d.Oracle.Timestamp, [.. d.Oracle.Prices]),
        OpsHeadBefore = Fr.Parse(d.OpsHeadBefore),
        Deposits = [.. d.Deposits.Select(x => new DepositOp(x.Account, new BabyJubjubPoint(Fr.Parse(x.Ax), Fr.Parse(x.Ay)), x.Amount, Big(x.Depositor)))],
        Trades = [.. d.Trades.Select(x => new TradeOp(Order(x.Taker), Order(x.Maker), x.PriceTicks, x.Lots))],
        Withdrawals = [.. d.Withdrawals.Select(x => new WithdrawalOp(x.Account, x.Nonce, x.Amount, Big(x.Recipient), Sig(x.Signature)))],
        Liquidations = [.. (d.Liquidations ?? []).Select(x => new LiquidationOp(x.Account, x.TotalValue, x.MaintenanceMargin, x.Penalty, [.. x.Transfers.Select(Move)],
            x.Cover, [.. x.Deleveraged.Select(Move)], x.Socialised))],
        Forced = [.. (d.Forced ?? []).Select(x => new ForcedOp(Fr.Parse(x.Word), Fr.Parse(x.A), Fr.Parse(x.B), Fr.Parse(x.C)))],
        Funding = d.Funding is null ? FundingOp.None
            : new FundingOp([.. d.Funding.Ticks.Select(t => new FundingTick(t.Instrument, t.RatePpm, t.Index, t.MarkPerLot))], [.. d.Funding.Payments.Select(p => new FundingPayment(p.Account, p.Instrument, p.Amount))]),
        Expiries = [.. (d.Expiries ?? []).Select(x => new ExpiryOp(x.Account, x.Instrument, x.Payout))],
        DataWords = [.. d.DataWords.Select(Fr.Parse)],
        Inputs = d.Inputs.ToDictionary(kv => kv.Key, kv => Fr.Parse(kv.Value)),
        PublicInputs = [.. d.PublicInputs.Select(Fr.Parse)],
        Proof = d.Proof is null ? null : SnarkjsJson.ReadProof(d.Proof, source),
    };

    private static BigInteger Big(string s) =>
        BigInteger.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw new FormatException($"'{s}' is not a non-negative decimal number");

    private static EdDsaSignature Sig(SignatureDto s) => new(new BabyJubjubPoint(Fr.Parse(s.R8x), Fr.Parse(s.R8y)), Big(s.S));

    private static SignedOrder Order(OrderDto o)
    {
        if (!CommandCodec.TryDecode(Convert.FromHexString(o.Command), out var command, out var error)) throw new FormatException($"an order's command: {error}");
        return new SignedOrder(command, Sig(o.Signature));
    }
}
