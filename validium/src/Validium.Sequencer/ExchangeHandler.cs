using Validium.Exchange;

namespace Validium.Sequencer;

/// <summary>
/// What one journaled command did to the exchange: the engine's outcome and the events it emitted, in order (their
/// <see cref="Event.Seq"/> numbers continue gap-free from the previous command's). Across the output stream these are
/// the ordered state changes a batcher consumes: trades, funding payments, liquidations and their transfers,
/// deposits, withdrawals, oracle commits, expiries and settlements, besides order acceptances, amends and cancels.
/// A payload that is not a command's canonical encoding changes nothing: its outcome is
/// <see cref="RejectCode.MalformedCommand"/>, no events, and <see cref="Malformed"/> says why.
/// </summary>
public readonly record struct ExchangeApplied(Outcome Outcome, Event[] Events, string? Malformed = null);

/// <summary>
/// Runs the exchange engine behind a <see cref="Sequencer{TEvents}"/>: decodes each journaled payload with
/// <see cref="CommandCodec"/>, executes it, and returns the events; snapshots are the engine's own canonical
/// snapshot bytes. The command's time is the one it was encoded with, and the journal's timestamp must equal it
/// (<see cref="ExchangeSequencing.SubmitAsync"/> journals it so), so neither can drift from the other.
/// </summary>
public sealed class ExchangeHandler : ICommandHandler<ExchangeApplied>
{
    private readonly EventLog events = new();

    /// <summary>A handler over an empty engine with this configuration; a snapshot, when there is one, brings its own.</summary>
    public ExchangeHandler(EngineConfig config) => Engine = new Engine(config, events);

    /// <summary>
    /// The engine. It belongs to the sequencer's apply thread: read it elsewhere only while nothing is being applied
    /// (before start, or after every output so far has been read and nothing more is submitted).
    /// </summary>
    public Engine Engine { get; private set; }

    public ExchangeApplied Apply(long sequence, long timestamp, ReadOnlySpan<byte> payload)
    {
        if (!CommandCodec.TryDecode(payload, out var command, out var error))
            return new(new Outcome(RejectCode.MalformedCommand), [], $"command {sequence}: {error}");
        if (command.Time != timestamp)
            return new(new Outcome(RejectCode.MalformedCommand), [], $"command {sequence}: time {command.Time} differs from its journal timestamp {timestamp}");
        events.Clear();
        var outcome = Engine.Execute(command);
        return new(outcome, events.Events.ToArray());
    }

    public byte[] SaveState() => Engine.Snapshot();

    public void LoadState(ReadOnlySpan<byte> state) => Engine = Engine.Restore(state.ToArray(), events);
}

public static class ExchangeSequencing
{
    /// <summary>Journals the command in its canonical encoding, stamped with its own time; completes with its sequence number once durable.</summary>
    public static Task<long> SubmitAsync(this Sequencer<ExchangeApplied> sequencer, in Command command)
    {
        // Every trader command fits a small stack buffer; only an oracle round with many options needs more (up to
        // CommandCodec.MaxLength, 8 KiB), which would cost every command its zeroing if always taken from the stack.
        const int stackBytes = 256;
        int needed = CommandCodec.Length(command);
        Span<byte> buffer = needed <= stackBytes ? stackalloc byte[stackBytes] : new byte[needed];
        int length = CommandCodec.Encode(command, buffer);
        return sequencer.SubmitAsync(buffer[..length], command.Time);
    }
}
