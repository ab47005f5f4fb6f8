namespace Validium.Sequencer;

/// <summary>
/// The state machine behind the sequencer (the exchange). It sees each durable command once, in sequence order,
/// on one thread, and the same commands from the same state must give the same results: start-up rebuilds the state
/// by replaying the journal through it.
/// </summary>
public interface ICommandHandler<TEvents>
{
    /// <summary>
    /// Applies one command. A command the state machine refuses is reported in the result, not thrown: a throw
    /// stops the sequencer, since replay would throw on the same command again.
    /// </summary>
    TEvents Apply(long sequence, long timestamp, ReadOnlySpan<byte> payload);

    /// <summary>The whole state as bytes, for a snapshot.</summary>
    byte[] SaveState();

    /// <summary>Replaces the state with a snapshot's; called at most once, before any <see cref="Apply"/>.</summary>
    void LoadState(ReadOnlySpan<byte> state);
}

/// <summary>
/// One applied command, in sequence order. <see cref="Replayed"/> marks commands re-applied from the journal at
/// start-up: their results were produced before the restart too, and a consumer that already acted on them skips them.
/// </summary>
public readonly record struct SequencedOutput<TEvents>(long Sequence, long Timestamp, ReadOnlyMemory<byte> Payload, TEvents Events, bool Replayed);
