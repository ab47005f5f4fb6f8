namespace Validium.Proving.Circuit;

/// <summary>
/// Where each constraint came from, as two small numbers per constraint instead of a string: a node in the tree of
/// scopes (each node its parent plus an interned name, so "trade 3/merkle/level 5" is stored once however many
/// constraints it holds) and a call site (operation, member, file, line: a few hundred in a whole circuit).
/// The label text is put together only when someone asks for it, e.g. for a failing constraint.
/// </summary>
internal sealed class ConstraintLabels
{
    private readonly List<(int Parent, int Name)> scopeNodes = [(-1, -1)];
    private readonly Dictionary<(int Parent, int Name), int> scopeIndex = [];
    private readonly List<string> names = [];
    private readonly Dictionary<string, int> nameIndex = [];
    private readonly List<(string Op, string Member, string File, int Line)> sites = [];
    private readonly Dictionary<(string Op, string Member, string File, int Line), int> siteIndex = [];
    private readonly List<int> constraintScope = [];
    private readonly List<int> constraintSite = [];

    /// <summary>The scope node of the root (no scope).</summary>
    public const int Root = 0;

    public int Enter(int parent, string name)
    {
        if (!nameIndex.TryGetValue(name, out int nameId))
        {
            nameId = names.Count;
            names.Add(name);
            nameIndex.Add(name, nameId);
        }
        if (!scopeIndex.TryGetValue((parent, nameId), out int node))
        {
            node = scopeNodes.Count;
            scopeNodes.Add((parent, nameId));
            scopeIndex.Add((parent, nameId), node);
        }
        return node;
    }

    public int Site(string op, string member, string file, int line)
    {
        var key = (op, member, file, line);
        if (!siteIndex.TryGetValue(key, out int site))
        {
            site = sites.Count;
            sites.Add(key);
            siteIndex.Add(key, site);
        }
        return site;
    }

    /// <summary>Records the origin of the next constraint.</summary>
    public void Add(int scope, int site)
    {
        constraintScope.Add(scope);
        constraintSite.Add(site);
    }

    public string Label(int constraint) => Format(constraintScope[constraint], sites[constraintSite[constraint]]);

    public string Format(int scope, (string Op, string Member, string File, int Line) site)
    {
        var parts = new List<string>();
        for (int node = scope; node != Root; node = scopeNodes[node].Parent) parts.Add(names[scopeNodes[node].Name]);
        parts.Reverse();
        string path = string.Join('/', parts);
        return $"{path}{(path.Length == 0 ? "" : ": ")}{site.Op} at {Path.GetFileName(site.File)}:{site.Line} ({site.Member})";
    }

    /// <summary>Drops the lookup tables and spare list capacity once no constraint will be added.</summary>
    public ConstraintLabels Freeze()
    {
        scopeIndex.Clear();
        scopeIndex.TrimExcess();
        siteIndex.Clear();
        siteIndex.TrimExcess();
        nameIndex.Clear();
        nameIndex.TrimExcess();
        constraintScope.TrimExcess();
        constraintSite.TrimExcess();
        return this;
    }
}
