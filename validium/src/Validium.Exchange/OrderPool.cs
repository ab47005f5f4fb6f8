namespace Validium.Exchange;

/// <summary>A resting order. Lives in <see cref="OrderPool"/>; linked into its price level and its account's order list.</summary>
internal struct OrderNode
{
    public long OrderId;
    public long ClientId;
    public long PriceTicks;
    public long Lots;
    public long FilledLots;
    public long ExpiresAt;
    /// <summary>Adverse-price and fee reserve this order currently adds to its account's order charge (see MARGIN.md).</summary>
    public long Extra;
    public int Account;
    public int Instrument;
    public int Prev, Next;       // price-level queue
    public int AccPrev, AccNext; // account's open orders
    public Side Side;
    public bool PostOnly;
    public bool ReduceOnly;
    public SelfTradePrevention Stp;
}

/// <summary>Preallocated order storage with a free list: placing and removing orders allocates nothing until the pool must grow.</summary>
internal sealed class OrderPool
{
    public const int Nil = -1;
    public OrderNode[] Nodes;
    private int freeHead;
    public int Count { get; private set; }

    public OrderPool(int capacity)
    {
        Nodes = new OrderNode[Math.Max(capacity, 16)];
        ThreadFree(0);
        freeHead = 0;
    }

    private void ThreadFree(int from)
    {
        for (int i = from; i < Nodes.Length - 1; i++) Nodes[i].Next = i + 1;
        Nodes[^1].Next = Nil;
    }

    public int Allocate()
    {
        if (freeHead == Nil)
        {
            int old = Nodes.Length;
            Array.Resize(ref Nodes, old * 2);
            ThreadFree(old);
            freeHead = old;
        }
        int i = freeHead;
        freeHead = Nodes[i].Next;
        Count++;
        return i;
    }

    public void Free(int i)
    {
        Nodes[i] = default;
        Nodes[i].Next = freeHead;
        freeHead = i;
        Count--;
    }
}

/// <summary>
/// (account, client order id) → pool index: open addressing with linear probing and backward-shift deletion,
/// so lookups touch one or two cache lines and removals leave no tombstones behind.
/// </summary>
internal sealed class OrderMap
{
    private int[] accounts;
    private long[] clientIds;
    private int[] values; // -1 = empty slot
    private int mask;
    public int Count { get; private set; }

    public OrderMap(int capacity)
    {
        int size = 16;
        while (size < capacity * 2) size <<= 1;
        accounts = new int[size];
        clientIds = new long[size];
        values = new int[size];
        Array.Fill(values, -1);
        mask = size - 1;
    }

    private static int Hash(int account, long clientId)
    {
        ulong h = (ulong)clientId * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)account * 0xC2B2AE3D27D4EB4FUL;
        return (int)(h ^ (h >> 29));
    }

    public bool TryGet(int account, long clientId, out int value)
    {
        for (int i = Hash(account, clientId) & mask; ; i = (i + 1) & mask)
        {
            int v = values[i];
            if (v < 0) break;
            if (clientIds[i] == clientId && accounts[i] == account)
            {
                value = v;
                return true;
            }
        }
        value = -1;
        return false;
    }

    /// <summary>Adds a key known to be absent.</summary>
    public void Add(int account, long clientId, int value)
    {
        if ((Count + 1) * 2 > values.Length) Grow();
        int i = Hash(account, clientId) & mask;
        while (values[i] >= 0) i = (i + 1) & mask;
        accounts[i] = account;
        clientIds[i] = clientId;
        values[i] = value;
        Count++;
    }

    public void Set(int account, long clientId, int value)
    {
        for (int i = Hash(account, clientId) & mask; values[i] >= 0; i = (i + 1) & mask)
            if (clientIds[i] == clientId && accounts[i] == account)
            {
                values[i] = value;
                return;
            }
        throw new InvalidOperationException("OrderMap.Set on a missing key");
    }

    public void Remove(int account, long clientId)
    {
        int i = Hash(account, clientId) & mask;
        while (true)
        {
            if (values[i] < 0) return;
            if (clientIds[i] == clientId && accounts[i] == account) break;
            i = (i + 1) & mask;
        }
        Count--;
        // Backward-shift: pull later entries of the same probe run into the hole so lookups never stop early.
        int hole = i;
        for (int j = (hole + 1) & mask; values[j] >= 0; j = (j + 1) & mask)
        {
            int home = Hash(accounts[j], clientIds[j]) & mask;
            bool movable = hole <= j ? home <= hole || home > j : home <= hole && home > j;
            if (!movable) continue;
            accounts[hole] = accounts[j];
            clientIds[hole] = clientIds[j];
            values[hole] = values[j];
            hole = j;
        }
        values[hole] = -1;
    }

    private void Grow()
    {
        var (oa, oc, ov) = (accounts, clientIds, values);
        int size = ov.Length * 2;
        accounts = new int[size];
        clientIds = new long[size];
        values = new int[size];
        Array.Fill(values, -1);
        mask = size - 1;
        Count = 0;
        for (int i = 0; i < ov.Length; i++)
            if (ov[i] >= 0) Add(oa[i], oc[i], ov[i]);
    }
}
