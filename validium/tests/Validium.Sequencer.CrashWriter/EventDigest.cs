using System.Buffers.Binary;
using System.Security.Cryptography;
using Validium.Sequencer;

namespace Validium.Sequencer.CrashWriter;

/// <summary>SHA-256 over one applied command's outcome and every field of its events, so two runs' event streams compare line by line.</summary>
public static class EventDigest
{
    private const int Fields = 15;

    public static string Of(in ExchangeApplied applied)
    {
        var buffer = new byte[1 + applied.Events.Length * Fields * 8];
        buffer[0] = (byte)applied.Outcome.Code;
        var at = buffer.AsSpan(1);
        foreach (var e in applied.Events)
            foreach (long v in (ReadOnlySpan<long>)[e.Seq, e.Time, (long)e.Kind, (long)e.Side, e.Reason, e.Account, e.Counterparty, e.Instrument,
                e.OrderId, e.CounterOrderId, e.ClientId, e.Price, e.Quantity, e.Amount, e.Amount2])
            {
                BinaryPrimitives.WriteInt64LittleEndian(at, v);
                at = at[8..];
            }
        return Convert.ToHexString(SHA256.HashData(buffer));
    }
}
