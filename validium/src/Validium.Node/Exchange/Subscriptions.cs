using System.Threading.Channels;

namespace Validium.Node.Exchange;

/// <summary>Why a subscription ended: it fell too far behind (or the node stopped).</summary>
public sealed class SubscriptionDroppedException(string reason) : Exception(reason);

/// <summary>
/// A bounded feed of updates. Read <see cref="Reader"/>; when the subscriber falls <see cref="Capacity"/> updates
/// behind it is dropped once it has read what was queued: <c>WaitToReadAsync</c>/<c>ReadAllAsync</c> then throw a
/// <see cref="SubscriptionDroppedException"/> saying so (<c>ReadAsync</c> a <see cref="ChannelClosedException"/> with it
/// inside), and <see cref="DropReason"/> holds the reason. Dispose to unsubscribe.
/// </summary>
public sealed class Subscription<T> : IDisposable
{
    private readonly Channel<T> channel;
    private readonly Action<Subscription<T>> unsubscribe;

    internal Subscription(int capacity, Action<Subscription<T>> unsubscribe)
    {
        Capacity = capacity;
        channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        this.unsubscribe = unsubscribe;
    }

    public int Capacity { get; }

    public ChannelReader<T> Reader => channel.Reader;

    /// <summary>Why the subscription was dropped, or null while it is live.</summary>
    public string? DropReason { get; private set; }

    /// <summary>Never waits: a full channel drops the subscriber instead of holding up the publisher.</summary>
    internal bool Offer(T item)
    {
        if (channel.Writer.TryWrite(item)) return true;
        Drop($"dropped: the subscriber fell {Capacity} updates behind");
        return false;
    }

    internal void Drop(string reason)
    {
        if (DropReason is not null) return;
        DropReason = reason;
        channel.Writer.TryComplete(new SubscriptionDroppedException(reason));
    }

    public void Dispose()
    {
        unsubscribe(this);
        channel.Writer.TryComplete();
    }
}

/// <summary>Subscribers by key; published to from one thread, subscribed from any.</summary>
internal sealed class Topic<TKey, T> where TKey : notnull
{
    private readonly Lock gate = new();
    private readonly Dictionary<TKey, List<Subscription<T>>> subscribers = [];
    private bool closed;

    public Subscription<T> Subscribe(TKey key, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var s = new Subscription<T>(capacity, Remove(key));
        lock (gate)
        {
            if (closed)
            {
                s.Drop("the node stopped");
                return s;
            }
            if (!subscribers.TryGetValue(key, out var list)) subscribers[key] = list = [];
            list.Add(s);
        }
        return s;
    }

    public int Count
    {
        get
        {
            lock (gate) return subscribers.Values.Sum(l => l.Count);
        }
    }

    public void Publish(TKey key, T item)
    {
        Subscription<T>[] targets;
        lock (gate)
        {
            if (!subscribers.TryGetValue(key, out var list) || list.Count == 0) return;
            targets = [.. list];
        }
        foreach (var s in targets)
            if (!s.Offer(item)) Remove(key)(s);
    }

    public void Close(string reason)
    {
        List<Subscription<T>> all;
        lock (gate)
        {
            closed = true;
            all = [.. subscribers.Values.SelectMany(l => l)];
            subscribers.Clear();
        }
        foreach (var s in all) s.Drop(reason);
    }

    private Action<Subscription<T>> Remove(TKey key) => s =>
    {
        lock (gate)
        {
            if (subscribers.TryGetValue(key, out var list) && list.Remove(s) && list.Count == 0) subscribers.Remove(key);
        }
    };
}
