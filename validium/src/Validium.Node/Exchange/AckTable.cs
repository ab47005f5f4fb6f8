namespace Validium.Node.Exchange;

/// <summary>
/// Meets each submitter with its command's answer. The apply thread may answer before the submitter learns its
/// sequence number (durability and apply race the awaiting task), so whichever side comes second completes the pair.
/// </summary>
internal sealed class AckTable
{
    private readonly Lock gate = new();
    private readonly Dictionary<long, TaskCompletionSource<Ack>> waiting = [];
    private readonly Dictionary<long, Ack> answered = [];
    private string? closed;

    public Task<Ack> WaitAsync(long sequence, CancellationToken ct)
    {
        TaskCompletionSource<Ack> tcs;
        lock (gate)
        {
            if (answered.Remove(sequence, out var ack)) return Task.FromResult(ack);
            if (closed is not null) return Task.FromResult(Ack.Refused(sequence, AckCodes.Unavailable, closed));
            tcs = new TaskCompletionSource<Ack>(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting[sequence] = tcs;
        }
        return tcs.Task.WaitAsync(ct);
    }

    public void Complete(long sequence, Ack ack)
    {
        TaskCompletionSource<Ack>? tcs;
        lock (gate)
        {
            if (!waiting.Remove(sequence, out tcs))
            {
                answered[sequence] = ack;
                return;
            }
        }
        tcs.TrySetResult(ack);
    }

    /// <summary>Answers every submitter still waiting, and any that comes later, with the reason.</summary>
    public void FailAll(string reason)
    {
        List<(long, TaskCompletionSource<Ack>)> all;
        lock (gate)
        {
            closed = reason;
            all = [.. waiting.Select(kv => (kv.Key, kv.Value))];
            waiting.Clear();
        }
        foreach (var (sequence, tcs) in all) tcs.TrySetResult(Ack.Refused(sequence, AckCodes.Unavailable, reason));
    }
}
