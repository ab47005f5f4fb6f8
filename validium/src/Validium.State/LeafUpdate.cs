using Validium.Crypto;

namespace Validium.State;

/// <summary>Set leaf <paramref name="Index"/> to <paramref name="Value"/>; a value of 0 empties the leaf.</summary>
public readonly record struct LeafUpdate(ulong Index, Fr Value);
