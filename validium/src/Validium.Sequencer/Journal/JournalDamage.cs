namespace Validium.Sequencer.Journal;

public enum DamageKind
{
    /// <summary>The end of the last segment holds a record that was being written when the process died: never acknowledged, cut on open.</summary>
    TornTail,

    /// <summary>Damage where acknowledged records live: the journal refuses to open rather than lose them.</summary>
    Corrupt,
}

/// <summary>Where a journal stops being readable, and why.</summary>
public sealed record JournalDamage(DamageKind Kind, string File, long Offset, string Reason)
{
    public override string ToString() => $"{File} at offset {Offset}: {Reason}";
}

/// <summary>Acknowledged records cannot be read back; names the file and byte offset.</summary>
public sealed class JournalCorruptException(JournalDamage damage)
    : IOException($"journal corrupt: {damage}")
{
    public JournalDamage Damage { get; } = damage;
}

/// <summary>A write or fsync failed: nothing in the batch was acknowledged, and the journal takes no more appends.</summary>
public sealed class JournalWriteException(string message, Exception inner) : IOException(message, inner);
