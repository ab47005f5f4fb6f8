namespace Validium.Proving.Circuit;

/// <summary>
/// The last few term arrays the builder stored, by reference. A gadget often puts one combination in several
/// constraints in a row (x·x = x², then x⁴·x = x⁵ in Poseidon's S-box, where x may have dozens of terms in the
/// partial rounds); those constraints then share one copy in the pool. Only a handful is remembered, so the
/// arrays themselves can be collected as soon as Define drops them.
/// </summary>
internal sealed class RecentCombinations
{
    private const int Size = 8;
    private readonly Term[]?[] arrays = new Term[]?[Size];
    private readonly int[] ids = new int[Size];
    private int next;

    public bool TryGet(Term[] terms, out int id)
    {
        for (int i = 0; i < Size; i++)
            if (ReferenceEquals(arrays[i], terms))
            {
                id = ids[i];
                return true;
            }
        id = -1;
        return false;
    }

    public void Remember(Term[] terms, int id)
    {
        arrays[next] = terms;
        ids[next] = id;
        next = (next + 1) % Size;
    }
}
