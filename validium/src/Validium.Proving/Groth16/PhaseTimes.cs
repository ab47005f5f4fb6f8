using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Validium.Proving.Groth16;

/// <summary>
/// Start and end of named phases on a shared clock, from any thread, so a proof's critical path and idle core
/// time can be read off (the G2 MSM and the key's sections run beside other phases). Times are measured from
/// <see cref="Origin"/>, which a command sets to its process start.
/// </summary>
public sealed class PhaseTimes
{
    private readonly List<(string Name, int Thread, TimeSpan Start, TimeSpan End)> phases = [];
    private readonly Stopwatch clock = Stopwatch.StartNew();

    /// <summary>How long before this object was made the clock's zero lies (e.g. the process start).</summary>
    public TimeSpan Origin { get; init; }

    public TimeSpan Now => Origin + clock.Elapsed;

    /// <summary>Records a phase from start until the returned scope is disposed.</summary>
    public Scope Measure(string name) => new(this, name, Now);

    public void Record(string name, TimeSpan start, TimeSpan end)
    {
        lock (phases) phases.Add((name, Environment.CurrentManagedThreadId, start, end));
    }

    public IReadOnlyList<(string Name, int Thread, TimeSpan Start, TimeSpan End)> Phases
    {
        get
        {
            lock (phases) return [.. phases.OrderBy(p => p.Start)];
        }
    }

    /// <summary>One line a phase, in start order: start, end and length in milliseconds, and the thread that ran it.</summary>
    public string Format()
    {
        var s = new StringBuilder("phase                          start      end   length  thread\n");
        foreach (var (name, thread, start, end) in Phases)
            s.Append(CultureInfo.InvariantCulture, $"{name,-28} {start.TotalMilliseconds,8:0.0} {end.TotalMilliseconds,8:0.0} {(end - start).TotalMilliseconds,8:0.0}  {thread,6}\n");
        return s.ToString();
    }

    public readonly struct Scope(PhaseTimes owner, string name, TimeSpan start) : IDisposable
    {
        public void Dispose() => owner.Record(name, start, owner.Now);
    }
}
